// The case's timeline on a time axis (uPlot): one lane per kind of step, one point per entry,
// times in JST. The entries come from the page itself (a JSON script element), not from a request.
(function () {
  var data = document.getElementById('timeline-data');
  var target = document.getElementById('timeline-chart');
  if (!data || !target || typeof uPlot === 'undefined') {
    return;
  }
  var t = JSON.parse(data.textContent);
  var lanes = t.lanes;
  var entries = t.entries.slice().sort(function (a, b) { return a.at - b.at; });
  var xs = entries.map(function (e) { return e.at; });
  var jst = function (ts) { return uPlot.tzDate(new Date(ts * 1e3), 'Asia/Tokyo'); };
  var day = uPlot.fmtDate('{YYYY}-{MM}-{DD}');
  var clock = uPlot.fmtDate('{HH}:{mm}:{ss}');
  var series = [{ label: t.timeLabel || '時刻（JST）', value: function (u, ts) { return ts == null ? '--' : day(jst(ts)) + ' ' + clock(jst(ts)); } }];
  var ys = [xs];
  var colors = ['#4a78b5', '#2e8b57', '#c0392b', '#8e44ad', '#d08c2c', '#777777'];
  lanes.forEach(function (name, lane) {
    ys.push(entries.map(function (e) { return e.lane === lane ? lane : null; }));
    series.push({
      label: name,
      stroke: colors[lane % colors.length],
      paths: function () { return null; },
      points: { show: true, size: 9, fill: colors[lane % colors.length] }
    });
  });
  var width = Math.max(480, (target.clientWidth || 900) - 20);
  var plot = new uPlot({
    width: width,
    height: 60 + lanes.length * 34,
    tzDate: jst,
    scales: { y: { range: [-0.5, lanes.length - 0.5] } },
    axes: [
      { values: function (u, splits) {
          return splits.map(function (ts, i) {
            var d = jst(ts);
            return i === 0 || day(d) !== day(jst(splits[i - 1])) ? day(d) + '\n' + clock(d) : clock(d);
          });
        }, size: 50 },
      { values: function (u, vals) { return vals.map(function (v) { return Number.isInteger(v) && lanes[v] ? lanes[v] : ''; }); },
        splits: function () { return lanes.map(function (n, i) { return i; }); }, size: 110 }
    ],
    legend: { show: true },
    series: series
  }, ys, target);
  window.csirtTimeline = { points: entries.length, lanes: lanes.length, plot: plot };
})();

// The overview: cases opened per day, one line per category and level, days in JST.
(function () {
  var data = document.getElementById('overview-data');
  var target = document.getElementById('overview-chart');
  if (!data || !target || typeof uPlot === 'undefined') {
    return;
  }
  var d = JSON.parse(data.textContent);
  var colors = ['#c0392b', '#e59866', '#1f618d', '#85c1e9', '#7d3c98', '#c39bd3'];
  var series = [{ label: d.dayLabel || '日付', value: function (u, ts) { return ts == null ? '--' : uPlot.fmtDate('{YYYY}-{MM}-{DD}')(uPlot.tzDate(new Date(ts * 1e3), 'Asia/Tokyo')); } }];
  d.series.forEach(function (name, i) {
    series.push({ label: name, stroke: colors[i % colors.length], width: 2, points: { show: true, size: 5 } });
  });
  var plot = new uPlot({
    width: Math.max(480, (target.clientWidth || 900) - 20),
    height: 280,
    tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1e3), 'Asia/Tokyo'); },
    scales: { y: { range: function (u, min, max) { return [0, Math.max(1, max + 1)]; } } },
    axes: [{ values: function (u, splits) { return splits.map(function (ts) { return uPlot.fmtDate('{M}/{D}')(uPlot.tzDate(new Date(ts * 1e3), 'Asia/Tokyo')); }); } },
           { label: d.countLabel || '件数' }],
    series: series
  }, [d.days].concat(d.values), target);
  window.csirtOverview = { days: d.days.length, series: d.series.length, total: d.values.reduce(function (a, v) { return a + v.reduce(function (x, y) { return x + y; }, 0); }, 0), plot: plot };
})();

// The intake form shows the checks of the chosen kind of reporter and the parts of the chosen
// category only; without scripts every part stays visible and the server reads the chosen ones.
(function () {
  var kind = document.getElementById('reporter-kind');
  var category = document.getElementById('category');
  if (!kind || !category) {
    return;
  }
  var show = function () {
    document.querySelectorAll('fieldset.checks').forEach(function (f) {
      f.hidden = f.getAttribute('data-kind') !== kind.value;
    });
    document.querySelectorAll('fieldset.by-category').forEach(function (f) {
      var c = f.getAttribute('data-category');
      f.hidden = category.value === '' || c !== category.value;
    });
  };
  kind.addEventListener('change', show);
  category.addEventListener('change', show);
  show();
})();
