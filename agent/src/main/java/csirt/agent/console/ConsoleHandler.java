package csirt.agent.console;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import csirt.agent.asset.Asset;
import csirt.agent.asset.AssetInventory;
import csirt.agent.cases.CaseEvaluation;
import csirt.agent.cases.CaseEvent;
import csirt.agent.cases.CaseRecord;
import csirt.agent.cases.CaseState;
import csirt.agent.cases.CaseStore;
import csirt.agent.cases.PpcReport;
import csirt.agent.cases.ReportForm1;
import csirt.agent.cases.ReportForm1Docx;
import csirt.agent.cases.TimelineEntry;
import csirt.agent.triage.FactWording;

/**
 * The web console, served by the agent itself (server-rendered Japanese pages, no front-end build):
 * the case list with filters, the case page with its facts, assets, events (raw lines escaped) and
 * timeline, and the actions the plan allows (state changes with a reason, notes, assignment). Every
 * page needs a login (local accounts of {@code config/users.yaml}); every form carries the
 * session's CSRF token; pages forbid framing, foreign scripts and caching.
 */
public final class ConsoleHandler implements HttpHandler {

    private static final Pattern CASE_PATH = Pattern.compile("^/cases/(C-\\d{6,})(?:/(state|notes|assign|report|report\\.docx|export\\.zip|legal|legal-report))?$");
    private static final Pattern WEBJAR = Pattern.compile("^/webjars/uplot/[0-9.]+/(?:dist/uPlot\\.(?:iife\\.min\\.js|min\\.css)|LICENSE)$");
    /** The lanes of the timeline chart, and which kinds of step go in each. */
    private static final int LANES = 6;
    private static final Map<String, Integer> LANE_OF = Map.ofEntries(Map.entry("received", 0), Map.entry("triaged", 1),
            Map.entry("opened", 2), Map.entry("escalated", 2), Map.entry("linked", 2), Map.entry("recurrence", 2),
            Map.entry("notice-queued", 3), Map.entry("notified", 3), Map.entry("notice-failed", 3),
            Map.entry("state", 4), Map.entry("note", 4), Map.entry("assigned", 4), Map.entry("exported", 4), Map.entry("report", 4));
    private static final DefaultMustacheFactory TEMPLATES = new DefaultMustacheFactory("csirt/agent/console");

    private final Supplier<Accounts> accounts;
    private final Sessions sessions;
    private final CaseStore cases;
    private final CaseActions actions;
    private final Supplier<AssetInventory> assets;
    private final DateTimeFormatter time;

    private final Supplier<List<String>> readiness;
    private final Supplier<Map<String, Instant>> silent;
    private final ConsoleWords words;

    /**
     * @param readiness the readiness problems (none: ready)
     * @param silent    the watched assets silent now, with when each was last heard from
     * @param language  ja (the default) or en: the pages' language (notice.language)
     */
    public ConsoleHandler(Supplier<Accounts> accounts, java.time.Duration idle, CaseStore cases, CaseActions actions,
                          Supplier<AssetInventory> assets, ZoneId zone, Supplier<List<String>> readiness,
                          Supplier<Map<String, Instant>> silent, String language) {
        this.words = ConsoleWords.of(language);
        this.readiness = readiness;
        this.silent = silent;
        this.accounts = accounts;
        this.sessions = new Sessions(idle);
        this.cases = cases;
        this.actions = actions;
        this.assets = assets;
        this.time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.JAPAN).withZone(zone);
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try {
            route(ex);
        } catch (RuntimeException e) {
            page(ex, 500, "error", Map.of("title", words.get("error.title"), "message", words.get("error.failed")), null);
        } finally {
            ex.close();
        }
    }

    private void route(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        Instant now = Instant.now();
        if (path.equals("/console.css") || path.equals("/console.js")) {
            ConsoleHttp.asset(ex, ConsoleHttp.resource(path.substring(1)), path.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8");
            return;
        }
        if (WEBJAR.matcher(path).matches()) {
            // the chart library as its WebJar ships it (with its licence); nothing else of the classpath
            byte[] body = ConsoleHttp.classpath("META-INF/resources" + path);
            if (body == null) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            ConsoleHttp.asset(ex, body, path.endsWith(".css") ? "text/css; charset=utf-8" : path.endsWith(".js") ? "text/javascript; charset=utf-8"
                    : "text/plain; charset=utf-8");
            return;
        }
        if (path.equals("/login")) {
            if ("POST".equals(method)) {
                login(ex, now);
            } else {
                loginPage(ex, 200, null);
            }
            return;
        }
        Optional<Sessions.Session> session = sessions.get(ConsoleHttp.cookie(ex), now);
        if (session.isEmpty()) {
            if ("GET".equals(method)) {
                ConsoleHttp.redirect(ex, "/login?next=" + java.net.URLEncoder.encode(path, StandardCharsets.UTF_8));
            } else {
                page(ex, 403, "error", Map.of("title", words.get("error.login-needed"), "message", words.get("error.session-ended")), null);
            }
            return;
        }
        Sessions.Session s = session.get();
        if (!accounts.get().all().contains(s.account)) {
            // removed, or given a new password or role: signed in again or not at all
            sessions.end(s.id);
            ConsoleHttp.redirect(ex, "/login");
            return;
        }
        Map<String, String> form = Map.of();
        if ("POST".equals(method)) {
            form = ConsoleHttp.form(ex);
            if (!ConsoleHttp.sameOrigin(ex) || !MessageDigest.isEqual(s.csrf.getBytes(StandardCharsets.UTF_8),
                    form.getOrDefault("csrf", "").getBytes(StandardCharsets.UTF_8))) {
                page(ex, 403, "error", Map.of("title", words.get("error.refused"), "message", words.get("error.stale-form")), s);
                return;
            }
        } else if (!"GET".equals(method)) {
            ex.sendResponseHeaders(405, -1);
            return;
        }
        if (path.equals("/logout") && "POST".equals(method)) {
            sessions.end(s.id);
            ex.getResponseHeaders().add("Set-Cookie", ConsoleHttp.COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
            ConsoleHttp.redirect(ex, "/login");
            return;
        }
        if (path.equals("/") || path.equals("/cases")) {
            if ("GET".equals(method)) {
                caseList(ex, s);
                return;
            }
        }
        if (path.equals("/overview") && "GET".equals(method)) {
            overview(ex, s, now);
            return;
        }
        if (path.equals("/drills")) {
            drills(ex, s, "POST".equals(method) ? form : null);
            return;
        }
        if (path.equals("/coverage") && "GET".equals(method)) {
            coverage(ex, s, now);
            return;
        }
        if (path.equals("/intake")) {
            intake(ex, s, "POST".equals(method) ? form : null);
            return;
        }
        Matcher m = CASE_PATH.matcher(path);
        if (m.matches()) {
            long id = CaseRecord.parseId(m.group(1));
            if (m.group(2) == null && "GET".equals(method)) {
                casePage(ex, s, id);
                return;
            }
            if ("export.zip".equals(m.group(2)) && "GET".equals(method)) {
                export(ex, s, id);
                return;
            }
            if ("legal-report".equals(m.group(2)) && "GET".equals(method)) {
                legalReportPage(ex, s, id);
                return;
            }
            if (m.group(2) != null && m.group(2).startsWith("report") && "GET".equals(method)) {
                reportPage(ex, s, id, m.group(2).endsWith(".docx"));
                return;
            }
            if (m.group(2) != null && "POST".equals(method)) {
                act(ex, s, id, m.group(2), form);
                return;
            }
        }
        page(ex, 404, "error", Map.of("title", words.get("error.not-found"), "message", words.get("error.no-page")), s);
    }

    // ---- login

    private void loginPage(HttpExchange ex, int status, String message) throws IOException {
        Map<String, Object> m = new HashMap<>();
        m.put("title", words.get("page.login"));
        m.put("message", message);
        m.put("next", ConsoleHttp.query(ex).getOrDefault("next", "/cases"));
        m.put("noAccounts", accounts.get().isEmpty());
        page(ex, status, "login", m, null);
    }

    private void login(HttpExchange ex, Instant now) throws IOException {
        Map<String, String> f = ConsoleHttp.form(ex);
        String name = f.getOrDefault("name", "").strip();
        if (!ConsoleHttp.sameOrigin(ex)) {
            loginPage(ex, 403, words.get("login.stale"));
            return;
        }
        if (sessions.locked(name, now)) {
            loginPage(ex, 429, words.get("login.locked"));
            return;
        }
        Optional<Accounts.Account> a = accounts.get().authenticate(name, f.get("password"));
        if (a.isEmpty()) {
            sessions.failed(name, now);
            loginPage(ex, 401, words.get("login.wrong"));
            return;
        }
        sessions.succeeded(name);
        Sessions.Session s = sessions.create(a.get(), now);
        // over TLS the cookie is never sent in clear (Secure); on plain loopback HTTP a browser would refuse a Secure one
        ex.getResponseHeaders().add("Set-Cookie", ConsoleHttp.COOKIE + "=" + s.id + "; Path=/; HttpOnly; SameSite=Strict"
                + (ex instanceof com.sun.net.httpserver.HttpsExchange ? "; Secure" : ""));
        String next = f.getOrDefault("next", "/cases");
        ConsoleHttp.redirect(ex, next.startsWith("/") && !next.startsWith("//") ? next : "/cases");
    }

    // ---- pages

    private void caseList(HttpExchange ex, Sessions.Session s) throws IOException {
        Map<String, String> q = ConsoleHttp.query(ex);
        String level = q.getOrDefault("level", "");
        String state = q.getOrDefault("state", "open");
        String text = q.getOrDefault("q", "").strip();
        List<CaseRecord> matching = new ArrayList<>();
        boolean drills = "1".equals(q.get("drills"));
        for (CaseRecord c : cases.list()) {
            if (CaseStore.drill(c) != drills) {
                continue; // a drill's cases are listed apart (?drills=1), never among the real ones
            }
            if (!level.isEmpty() && !level.equals(Integer.toString(c.level()))) {
                continue;
            }
            if (state.equals("open") ? !CaseState.open(c.state()) : !state.equals("all") && !state.equals(c.state())) {
                continue;
            }
            if (!text.isEmpty() && !(c.title() + " " + c.host() + " " + c.displayId() + " " + c.criterionId()).toLowerCase(Locale.ROOT)
                    .contains(text.toLowerCase(Locale.ROOT))) {
                continue;
            }
            matching.add(c);
        }
        matching.sort(java.util.Comparator.comparingInt(CaseRecord::priority)
                .thenComparing(java.util.Comparator.comparingInt(CaseRecord::level).reversed())
                .thenComparing(java.util.Comparator.comparing(CaseRecord::lastSeen).reversed()));
        // one page of rows: a list of ten thousand cases is read a page at a time
        int pages = Math.max(1, (matching.size() + PAGE_SIZE - 1) / PAGE_SIZE);
        int pageNo = Math.min(pages, Math.max(1, parsePage(q.get("page"))));
        List<Map<String, Object>> rows = new ArrayList<>();
        Instant now = Instant.now();
        for (CaseRecord c : matching.subList((pageNo - 1) * PAGE_SIZE, Math.min(matching.size(), pageNo * PAGE_SIZE))) {
            Map<String, Object> r = caseRow(c);
            r.put("age", age(java.time.Duration.between(c.firstSeen(), now)));
            rows.add(r);
        }
        Map<String, Object> m = new HashMap<>();
        m.put("title", words.get("page.cases"));
        m.put("cases", rows);
        m.put("count", matching.size());
        m.put("page", pageNo);
        m.put("pages", pages);
        String keep = "level=" + java.net.URLEncoder.encode(level, StandardCharsets.UTF_8) + "&state="
                + java.net.URLEncoder.encode(state, StandardCharsets.UTF_8) + "&q=" + java.net.URLEncoder.encode(text, StandardCharsets.UTF_8);
        m.put("prev", pageNo > 1 ? "/cases?" + keep + "&page=" + (pageNo - 1) : null);
        m.put("next", pageNo < pages ? "/cases?" + keep + "&page=" + (pageNo + 1) : null);
        m.put("q", text);
        m.put("levels", options(List.of("", "1", "2"), List.of(words.get("filter.all-levels"), words.get("filter.level1"), words.get("filter.level2")), level));
        List<String> states = new ArrayList<>(List.of("open", "all"));
        List<String> stateNames = new ArrayList<>(List.of(words.get("filter.open"), words.get("filter.all")));
        for (String st : CaseState.ALL) {
            states.add(st);
            stateNames.add(words.state(st));
        }
        m.put("states", options(states, stateNames, state));
        page(ex, 200, "cases", m, s);
    }

    /** Rows on one page of the case list. */
    static final int PAGE_SIZE = 100;

    private static int parsePage(String p) {
        try {
            return p == null ? 1 : Integer.parseInt(p);
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** How long a case has been open, as a person says it: 「3時間」「2日」. */
    String age(java.time.Duration d) {
        long minutes = Math.max(0, d.toMinutes());
        return minutes < 60 ? minutes + words.get("age.minutes") : minutes < 60 * 24 ? (minutes / 60) + words.get("age.hours")
                : (minutes / (60 * 24)) + words.get("age.days");
    }

    private Map<String, Object> caseRow(CaseRecord c) {
        Map<String, Object> r = new HashMap<>();
        r.put("id", c.displayId());
        r.put("level", c.level());
        r.put("levelName", words.level(c.level()));
        r.put("priority", c.priority());
        r.put("category", words.category(c.category()));
        r.put("state", words.state(c.state()));
        r.put("title", c.title());
        r.put("host", c.host());
        r.put("events", c.eventCount());
        r.put("assignee", c.assignee());
        r.put("firstSeen", time.format(c.firstSeen()) + " JST");
        r.put("lastSeen", time.format(c.lastSeen()) + " JST");
        r.put("serious", c.level() == 2);
        return r;
    }

    private void casePage(HttpExchange ex, Sessions.Session s, long id) throws IOException {
        Optional<CaseRecord> found = cases.find(id);
        if (found.isEmpty()) {
            page(ex, 404, "error", Map.of("title", words.get("error.no-case"), "message", CaseRecord.displayId(id) + " " + words.get("error.no-case-id")), s);
            return;
        }
        CaseRecord c = found.get();
        Map<String, Object> m = new HashMap<>(caseRow(c));
        m.put("title", c.displayId() + " " + c.title());
        m.put("caseTitle", c.title());
        m.put("criterion", c.criterionId());
        m.put("annex", c.annexId());
        m.put("opened", time.format(c.openedAt()) + " JST");
        m.put("recurrences", c.recurrences());
        Object[] ack = cases.acknowledgement(id);
        m.put("ack", ack == null ? (CaseState.open(c.state()) && c.level() > 0 ? words.get("ack.none") : "-")
                : ((Instant) ack[0]).toEpochMilli() == 0 ? String.valueOf(ack[1]) : time.format((Instant) ack[0]) + " JST " + ack[1]);
        m.put("unacknowledged", ack == null && CaseState.open(c.state()) && c.level() > 0);
        List<Map<String, Object>> evaluation = new ArrayList<>();
        for (CaseEvaluation.Step step : CaseEvaluation.of(c, cases.timeline(id), ack == null ? null : (Instant) ack[0])) {
            evaluation.add(Map.of("name", step.name(), "at", step.at() == null ? "-" : time.format(step.at()) + " JST",
                    "since", step.at() == null ? "" : "+" + CaseEvaluation.span(step.sinceReception())));
        }
        m.put("evaluation", evaluation);
        m.put("previous", c.previousCaseId() > 0 ? CaseRecord.displayId(c.previousCaseId()) : null);
        Asset a = c.host() == null ? null : assets.get().lookup(c.host());
        if (a != null) {
            Map<String, Object> asset = new LinkedHashMap<>();
            asset.put("role", FactWording.value("asset.role", a.role()));
            asset.put("affects", FactWording.value("asset.affects", a.affects()));
            asset.put("location", a.location());
            asset.put("contractor", a.contractor());
            asset.put("known", a.known());
            m.put("asset", asset);
        }
        List<Map<String, Object>> events = new ArrayList<>();
        for (CaseEvent e : cases.events(id, 200)) {
            Map<String, Object> ev = new HashMap<>();
            ev.put("seq", e.journalSeq());
            ev.put("at", time.format(e.receivedAt()) + " JST");
            ev.put("host", e.host());
            ev.put("criterion", e.criterionId());
            ev.put("level", e.level());
            ev.put("facts", e.facts());
            ev.put("why", String.join("、", FactWording.sentences(e.facts(), c.category(), time.getZone())));
            ev.put("raw", e.rawText());
            events.add(ev);
        }
        m.put("eventRows", events);
        m.put("moreEvents", c.eventCount() > events.size() ? c.eventCount() - events.size() : 0);
        List<Map<String, Object>> timeline = new ArrayList<>();
        List<TimelineEntry> entries = cases.timeline(id);
        for (TimelineEntry t : entries) {
            Map<String, Object> entry = new HashMap<>();
            entry.put("at", time.format(t.at()) + " JST");
            entry.put("kind", words.kind(t.kind()));
            entry.put("actor", "agent".equals(t.actor()) ? words.get("actor.agent") : t.actor());
            entry.put("text", t.textForPeople(time.getZone()));
            entry.put("detail", t.text().equals(t.textForPeople(time.getZone())) ? null : t.text());
            entry.put("human", !"agent".equals(t.actor()));
            timeline.add(entry);
        }
        m.put("timeline", timeline);
        m.put("timelineJson", timelineJson(entries));
        boolean mayAct = s.account.role().mayAct();
        m.put("mayAct", mayAct);
        List<Map<String, Object>> next = new ArrayList<>();
        for (String st : CaseState.next(c.state())) {
            next.add(Map.of("value", st, "name", words.state(st)));
        }
        m.put("nextStates", next);
        m.put("hasNext", !next.isEmpty());
        Map<String, String> written = cases.reportFields(id);
        LegalSection.put(m, c, cases, time, id, written);
        List<Map<String, Object>> report = new ArrayList<>();
        ReportForm1.FIELDS.forEach((f, title) -> {
            Map<String, Object> r = new HashMap<>();
            r.put("name", "r_" + f);
            r.put("title", title);
            r.put("text", written.getOrDefault(f, ""));
            r.put("empty", !written.containsKey(f));
            report.add(r);
        });
        m.put("report", report);
        m.put("flash", s.flash);
        s.flash = null;
        page(ex, 200, "case", m, s);
    }

    /** The intake form (GET), or a report from it recorded (POST): its case's page, or the form again with what to correct. */
    private void intake(HttpExchange ex, Sessions.Session s, Map<String, String> form) throws IOException {
        if (!s.account.role().mayAct()) {
            page(ex, 403, "error", Map.of("title", words.get("error.forbidden"), "message", words.get("error.viewer-intake")), s);
            return;
        }
        if (form == null) {
            page(ex, 200, "intake", IntakeForm.model(Map.of(), List.of(), words), s);
            return;
        }
        CaseActions.Outcome o = actions.intake(IntakeForm.report(form), s.account.name());
        if (!o.ok()) {
            List<String> problems = List.of(o.message().contains(": ") ? o.message().substring(o.message().indexOf(": ") + 2).split("／")
                    : new String[] {o.message()});
            page(ex, 422, "intake", IntakeForm.model(form, problems, words), s);
            return;
        }
        s.flash = o.message();
        ConsoleHttp.redirect(ex, "/cases/" + o.caseId());
    }

    /** The case's evidence as a zip download (the bundle of `evidence export`, with its check instructions). */
    private void export(HttpExchange ex, Sessions.Session s, long id) throws IOException {
        if (!s.account.role().mayAct()) {
            page(ex, 403, "error", Map.of("title", words.get("error.forbidden"), "message", words.get("error.viewer-export")), s);
            return;
        }
        CaseActions.Export e = actions.export(id, s.account.name());
        if (e.zip() == null) {
            page(ex, 409, "error", Map.of("title", words.get("error.no-export"), "message", e.outcome().message()), s);
            return;
        }
        ConsoleHttp.securityHeaders(ex);
        ex.getResponseHeaders().set("Content-Type", "application/zip");
        // the file name is the case id only: nothing a sender controls reaches the header
        ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"" + e.fileName() + "\"");
        ex.getResponseHeaders().set("X-CSIRT-Chain-Head", e.outcome().message());
        ex.sendResponseHeaders(200, e.zip().length);
        ex.getResponseBody().write(e.zip());
    }

    /** The drills (plan 5(2)): the scenarios with a button each, and the drills' cases (GET); one started (POST). */
    private void drills(HttpExchange ex, Sessions.Session s, Map<String, String> form) throws IOException {
        if (form != null) {
            if (!s.account.role().mayAct()) {
                page(ex, 403, "error", Map.of("title", words.get("error.forbidden"), "message", words.get("error.viewer-act")), s);
                return;
            }
            CaseActions.Outcome o = actions.drill(form.getOrDefault("name", ""), s.account.name());
            s.flash = (o.ok() ? "" : words.get("act.failed")) + o.message();
            ConsoleHttp.redirect(ex, "/drills");
            return;
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        actions.drills().forEach((name, title) -> rows.add(Map.of("name", name, "title", title)));
        Map<String, Object> m = new HashMap<>();
        m.put("title", words.get("drills.title"));
        m.put("drills", rows);
        m.put("mayAct", s.account.role().mayAct());
        m.put("flash", s.flash);
        s.flash = null;
        page(ex, 200, "drills", m, s);
    }

    /** Log coverage (see {@link CoveragePage}). */
    private void coverage(HttpExchange ex, Sessions.Session s, Instant now) throws IOException {
        page(ex, 200, "coverage", CoveragePage.model(assets.get(), cases, time, now, words), s);
    }

    /** The overview (see {@link OverviewPage}). */
    private void overview(HttpExchange ex, Sessions.Session s, Instant now) throws IOException {
        page(ex, 200, "overview", OverviewPage.model(cases, silent.get(), readiness.get(), time, now, words), s);
    }

    /** The draft of the report to the Commission (the nine items), printable like Report form 1. */
    private void legalReportPage(HttpExchange ex, Sessions.Session s, long id) throws IOException {
        Optional<CaseRecord> found = cases.find(id);
        if (found.isEmpty()) {
            page(ex, 404, "error", Map.of("title", words.get("error.no-case"), "message", CaseRecord.displayId(id) + " " + words.get("error.no-case-id")), s);
            return;
        }
        CaseRecord c = found.get();
        Map<String, Object> m = new HashMap<>();
        m.put("title", words.get("legal.title") + " " + c.displayId());
        m.put("id", c.displayId());
        m.put("report", PpcReport.render(c, cases.legal(id).orElse(null), cases.events(id, 1000), cases.timeline(id), cases.reportFields(id),
                time.getZone()));
        m.put("western", true);
        page(ex, 200, "report", m, s);
    }

    /** Report form 1 as a page to print (A4), filled from the case and what people wrote; 令和, or ?calendar=western. */
    private void reportPage(HttpExchange ex, Sessions.Session s, long id, boolean docx) throws IOException {
        Optional<CaseRecord> found = cases.find(id);
        if (found.isEmpty()) {
            page(ex, 404, "error", Map.of("title", words.get("error.no-case"), "message", CaseRecord.displayId(id) + " " + words.get("error.no-case-id")), s);
            return;
        }
        CaseRecord c = found.get();
        boolean western = "western".equals(ConsoleHttp.query(ex).get("calendar"));
        String text = ReportForm1.render(c, c.host() == null ? null : assets.get().lookup(c.host()), cases.events(id, 1000),
                cases.timeline(id), cases.reportFields(id), time.getZone(), Instant.now(), false, western);
        if (docx) {
            byte[] body = ReportForm1Docx.of(text);
            ConsoleHttp.securityHeaders(ex);
            ex.getResponseHeaders().set("Content-Type", "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
            // the file name is the case id only: nothing a sender controls reaches the header
            ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"report-form-1-" + c.displayId() + ".docx\"");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            return;
        }
        Map<String, Object> m = new HashMap<>();
        m.put("title", words.get("page.report") + " " + c.displayId());
        m.put("id", c.displayId());
        m.put("report", text);
        m.put("western", western);
        page(ex, 200, "report", m, s);
    }

    private void act(HttpExchange ex, Sessions.Session s, long id, String what, Map<String, String> form) throws IOException {
        if (!s.account.role().mayAct()) {
            page(ex, 403, "error", Map.of("title", words.get("error.forbidden"), "message", words.get("error.viewer-act")), s);
            return;
        }
        String who = s.account.name();
        if (what.equals("report")) {
            Map<String, String> fields = new LinkedHashMap<>();
            java.util.stream.Stream.concat(ReportForm1.FIELDS.keySet().stream(), PpcReport.FIELDS.keySet().stream()).forEach(f -> {
                if (form.containsKey("r_" + f)) {
                    fields.put(f, form.get("r_" + f));
                }
            });
            CaseActions.Outcome o = actions.report(id, s.account.name(), fields);
            s.flash = (o.ok() ? "" : words.get("act.failed")) + o.message();
            ConsoleHttp.redirect(ex, "/cases/" + CaseRecord.displayId(id) + "#report");
            return;
        }
        if (what.equals("legal")) {
            Map<String, Object> answers = new LinkedHashMap<>();
            if (form.containsKey("sent")) {
                answers.put("sent", form.get("sent"));
            } else {
                for (String k : List.of("personal", "sensitive", "financial", "wrongful")) {
                    answers.put(k, "on".equals(form.get(k)) ? "yes" : "no");
                }
                answers.put("persons", form.getOrDefault("persons", "0").isBlank() ? "0" : form.get("persons"));
            }
            CaseActions.Outcome o = actions.legal(id, who, answers);
            s.flash = (o.ok() ? "" : words.get("act.failed")) + o.message();
            ConsoleHttp.redirect(ex, "/cases/" + CaseRecord.displayId(id) + "#legal");
            return;
        }
        CaseActions.Outcome o = switch (what) {
            case "state" -> form.getOrDefault("why", "").isBlank()
                    ? new CaseActions.Outcome(false, words.get("act.no-reason"))
                    : actions.transition(id, who, form.getOrDefault("state", ""), form.get("why"));
            case "notes" -> form.getOrDefault("text", "").isBlank()
                    ? new CaseActions.Outcome(false, words.get("act.no-note"))
                    : actions.note(id, who, form.get("text"));
            default -> form.getOrDefault("assignee", "").isBlank()
                    ? new CaseActions.Outcome(false, words.get("act.no-handler"))
                    : actions.assign(id, who, form.get("assignee").strip());
        };
        s.flash = (o.ok() ? "" : words.get("act.failed")) + o.message();
        ConsoleHttp.redirect(ex, "/cases/" + CaseRecord.displayId(id));
    }

    /**
     * The timeline as the chart reads it, inside a script element of type application/json: "<" is
     * written as its escape, so no entry's text can close the element.
     */
    String timelineJson(List<TimelineEntry> entries) {
        List<Map<String, Object>> points = new ArrayList<>();
        for (TimelineEntry t : entries) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("at", t.at().toEpochMilli() / 1000.0);
            p.put("lane", LANE_OF.getOrDefault(t.kind(), LANES - 1));
            p.put("kind", words.kind(t.kind()));
            points.add(p);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        List<String> lanes = new ArrayList<>();
        for (int i = 0; i < LANES; i++) {
            lanes.add(words.get("lane." + i));
        }
        m.put("lanes", lanes);
        m.put("timeLabel", words.get("chart.time"));
        m.put("entries", points);
        return csirt.agent.util.Json.value(m).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
    }

    // ---- plumbing



    private static List<Map<String, Object>> options(List<String> values, List<String> names, String selected) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            out.add(Map.of("value", values.get(i), "name", names.get(i), "selected", values.get(i).equals(selected)));
        }
        return out;
    }

    private void page(HttpExchange ex, int status, String template, Map<String, ?> model, Sessions.Session s) throws IOException {
        Map<String, Object> m = new HashMap<>(model);
        m.put("t", words.templates());
        m.put("lang", words.language());
        if (s != null) {
            m.put("user", s.account.name());
            m.put("role", words.role(s.account.role()));
            m.put("csrf", s.csrf);
        }
        Mustache t = TEMPLATES.compile(template + ".html");
        StringWriter w = new StringWriter();
        t.execute(w, m);
        byte[] body = w.toString().getBytes(StandardCharsets.UTF_8);
        ConsoleHttp.securityHeaders(ex);
        ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }








}
