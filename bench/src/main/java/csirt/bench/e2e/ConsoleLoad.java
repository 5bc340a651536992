package csirt.bench.e2e;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import csirt.agent.console.Accounts;
import csirt.agent.console.Role;

/**
 * The console under a year's load (bench/console): the packaged agent with its unit's JVM options
 * receives {@code --cases} distinct virus detections (each its own level-1 case, after the hold) and
 * filler lines up to {@code --records} journal records, then every console page is timed over
 * {@code --requests} requests with a logged-in session: p50, p95 and the worst, against 200 ms.
 */
public final class ConsoleLoad {

    private static final String PASSWORD = "console load bench";

    private ConsoleLoad() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        int cases = Integer.parseInt(o.getOrDefault("cases", "10000"));
        long records = Long.parseLong(o.getOrDefault("records", "1000000"));
        int requests = Integer.parseInt(o.getOrDefault("requests", "30"));
        Path repo = Path.of("").toAbsolutePath();
        Path work = Files.createTempDirectory("csirt-console-load");
        Path config = work.resolve("config");
        copy(repo.resolve("config"), config);
        copy(repo.resolve("routes"), work.resolve("routes")); // routes.dir is ../routes beside the configuration
        Accounts.write(config.resolve(Accounts.FILE), List.of(new Accounts.Account("bench", Role.MANAGER, Accounts.hash(PASSWORD))));
        try (SmtpSink smtp = new SmtpSink(); AgentUnderTest agent = AgentUnderTest.start(repo, work, config, smtp.port())) {
            long t0 = System.nanoTime();
            fill(agent.syslogPort(), cases, records);
            System.out.printf("[console] sent %,d lines (%,d detections) in %.1f s%n", records, cases, (System.nanoTime() - t0) / 1e9);
            long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
            while (System.nanoTime() < deadline && (agent.journaled() < records || agent.metric("csirt_cases_open{level=\"1\"}") < cases)) {
                Thread.sleep(1000);
            }
            System.out.printf("[console] journal %,d records, %,.0f open cases, after %.1f s%n", agent.journaled(),
                    agent.metric("csirt_cases_open{level=\"1\"}"), (System.nanoTime() - t0) / 1e9);
            String base = "http://127.0.0.1:" + agent.httpPort();
            HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
            String cookie = login(http, base);
            String middle = String.format("C-%06d", cases / 2);
            Map<String, String> pages = new LinkedHashMap<>();
            pages.put("案件一覧 (1ページ目)", "/cases");
            pages.put("案件一覧 (50ページ目)", "/cases?page=50");
            pages.put("案件一覧 (検索)", "/cases?q=host-" + String.format("%05d", cases / 2));
            pages.put("案件一覧 (すべての状態)", "/cases?state=all");
            pages.put("案件", "/cases/" + middle);
            pages.put("報告様式1", "/cases/" + middle + "/report");
            pages.put("報告様式1 (.docx)", "/cases/" + middle + "/report.docx");
            pages.put("概況", "/overview");
            pages.put("報告の受付", "/intake");
            pages.put("収集状況", "/coverage");
            System.out.println();
            System.out.println("| page | path | p50 ms | p95 ms | max ms | within 200 ms |");
            System.out.println("|---|---|---:|---:|---:|---|");
            boolean all = true;
            for (Map.Entry<String, String> p : pages.entrySet()) {
                double[] ms = time(http, base + p.getValue(), cookie, requests);
                boolean ok = ms[1] <= 200;
                all &= ok;
                System.out.printf("| %s | `%s` | %.1f | %.1f | %.1f | %s |%n", p.getKey(), p.getValue(), ms[0], ms[1], ms[2], ok ? "yes" : "NO");
            }
            System.out.println();
            System.out.println(all ? "[console] every page's p95 is within 200 ms" : "[console] some pages miss 200 ms at p95");
        } finally {
            if (!"true".equals(o.get("keep"))) {
                delete(work);
            }
        }
    }

    /** One connection, LF-framed: the detections first (distinct signature and host: one case each), then filler. */
    private static void fill(int port, int cases, long records) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port); OutputStream out = new BufferedOutputStream(s.getOutputStream(), 1 << 16)) {
            for (int i = 1; i <= cases; i++) {
                out.write(String.format("<11>Nov 26 18:00:00 host-%05d clamd[812]: /home/u/x%d.exe: Bench.Sig-%05d FOUND\n", i, i, i)
                        .getBytes(StandardCharsets.US_ASCII));
            }
            for (long i = cases; i < records; i++) {
                out.write(("<30>Nov 26 18:00:01 app01 systemd[1]: Started Session " + i + " of User app.\n").getBytes(StandardCharsets.US_ASCII));
            }
        }
    }

    private static String login(HttpClient http, String base) throws Exception {
        String form = "name=bench&password=" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8) + "&next=%2Fcases";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        String c = r.headers().firstValue("Set-Cookie").orElseThrow(() -> new IllegalStateException("no login: " + r.statusCode()));
        return c.substring(0, c.indexOf(';'));
    }

    /** p50, p95 and max in ms over {@code n} requests, after 5 not counted (the JIT's first compile of the page). */
    private static double[] time(HttpClient http, String url, String cookie, int n) throws Exception {
        double[] ms = new double[n];
        for (int i = -5; i < n; i++) {
            long t = System.nanoTime();
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Cookie", cookie).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(url + " answered " + r.statusCode());
            }
            if (i >= 0) {
                ms[i] = (System.nanoTime() - t) / 1e6;
            }
        }
        Arrays.sort(ms);
        return new double[] {ms[n / 2], ms[(int) Math.ceil(n * 0.95) - 1], ms[n - 1]};
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                String k = args[i].substring(2);
                o.put(k, i + 1 < args.length && !args[i + 1].startsWith("--") ? args[++i] : "true");
            }
        }
        return o;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
