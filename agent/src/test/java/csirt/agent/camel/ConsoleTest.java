package csirt.agent.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import csirt.agent.cases.CaseRecord;
import csirt.agent.console.Accounts;
import csirt.agent.console.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web console over real HTTP, as a browser speaks it: nothing without a login, a locked name
 * after repeated wrong passwords, a CSRF token and the agent's own origin on every write, a viewer
 * who cannot act, raw log lines escaped, and the plan's state order enforced.
 */
class ConsoleTest {

    static final String HANDLER_PASSWORD = "correct horse battery";
    static final String VIEWER_PASSWORD = "viewer password 42";

    @TempDir
    Path tmp;

    /** A copy of the shipped configuration with a handler (tanaka) and a viewer (suzuki). */
    static Path configWithUsers(Path dir) throws Exception {
        Path config = AgentHarness.copyShippedConfig(dir);
        Accounts.write(config.resolve(Accounts.FILE), List.of(new Accounts.Account("tanaka", Role.HANDLER, Accounts.hash(HANDLER_PASSWORD)),
                new Accounts.Account("suzuki", Role.VIEWER, Accounts.hash(VIEWER_PASSWORD))));
        return config;
    }

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private int port;

    private HttpResponse<String> get(String path, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> post(String path, String cookie, String origin, Map<String, String> form) throws Exception {
        String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        if (origin != null) {
            b.header("Origin", origin);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private String login(String name, String password) throws Exception {
        HttpResponse<String> r = post("/login", null, "http://127.0.0.1:" + port, Map.of("name", name, "password", password, "next", "/cases"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict");
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private static String csrf(String page) {
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([0-9a-f]{64})\"").matcher(page);
        assertThat(m.find()).as(page).isTrue();
        return m.group(1);
    }

    @Test
    void a_handler_logs_in_reads_the_case_and_acts_on_it_and_nothing_else_gets_through() throws Exception {
        Path config = configWithUsers(tmp.resolve("c"));
        try (AgentHarness agent = AgentHarness.start(config, tmp.resolve("data"), Map.of())) {
            port = agent.httpPort;
            agent.tcp("<1>Nov 26 18:00:00 web01 ossec: Integrity checksum changed for: '/var/www/html/<script>alert(1)</script>.html'\n");
            assertThat(AgentHarness.await(Duration.ofSeconds(10), () -> agent.daemon.services().cases().list().size() == 1)).isTrue();
            String id = agent.daemon.services().cases().list().get(0).displayId();

            // nothing without a login: pages go to the login, writes are refused
            HttpResponse<String> anonymous = get("/cases", null);
            assertThat(anonymous.statusCode()).isEqualTo(303);
            assertThat(anonymous.headers().firstValue("Location")).hasValue("/login?next=%2Fcases");
            assertThat(post("/cases/" + id + "/notes", null, null, Map.of("text", "x")).statusCode()).isEqualTo(403);
            assertThat(get("/login", null).body()).contains("ログイン").contains("パスワード");

            // a wrong password, then the name locked after five
            HttpResponse<String> wrong = post("/login", null, null, Map.of("name", "tanaka", "password", "guess"));
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.body()).contains("ユーザー名またはパスワードが違います");
            for (int i = 0; i < 4; i++) {
                post("/login", null, null, Map.of("name", "suzuki", "password", "guess " + i));
            }
            assertThat(post("/login", null, null, Map.of("name", "suzuki", "password", "guess 5")).statusCode()).isEqualTo(401);
            HttpResponse<String> locked = post("/login", null, null, Map.of("name", "suzuki", "password", VIEWER_PASSWORD));
            assertThat(locked.statusCode()).as("locked even with the right password").isEqualTo(429);

            String cookie = login("tanaka", HANDLER_PASSWORD);
            HttpResponse<String> list = get("/cases", cookie);
            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(list.headers().firstValue("Content-Security-Policy").orElse("")).contains("frame-ancestors 'none'");
            assertThat(list.headers().firstValue("X-Frame-Options")).hasValue("DENY");
            assertThat(list.body()).contains(id).contains("tanaka（対応者）").contains("サイバー攻撃");
            assertThat(get("/overview", cookie).body()).contains("概況").contains("対応中の案件").contains("日ごとの起票件数");
            assertThat(get("/overview", null).statusCode()).isEqualTo(303);

            HttpResponse<String> page = get("/cases/" + id, cookie);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).as("the raw line escaped").contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>");
            assertThat(page.body()).contains("時系列の記録").contains("受信").contains("JST");
            String token = csrf(page.body());

            // writes need the session's token and the agent's own origin
            String origin = "http://127.0.0.1:" + port;
            assertThat(post("/cases/" + id + "/notes", cookie, origin, Map.of("text", "no token")).statusCode()).isEqualTo(403);
            assertThat(post("/cases/" + id + "/notes", cookie, "http://evil.example", Map.of("csrf", token, "text", "other site"))
                    .statusCode()).isEqualTo(403);
            assertThat(post("/cases/" + id + "/notes", cookie, origin, Map.of("csrf", token, "text", "保守事業者に連絡済み")).statusCode())
                    .isEqualTo(303);
            assertThat(post("/cases/" + id + "/state", cookie, origin, Map.of("csrf", token, "state", "closed", "why", "早すぎる")).statusCode())
                    .isEqualTo(303);
            assertThat(get("/cases/" + id, cookie).body()).as("the plan's order: triaged cannot be closed")
                    .contains("できませんでした").contains("変更できる状態");
            assertThat(post("/cases/" + id + "/state", cookie, origin, Map.of("csrf", token, "state", "responding", "why", "改ざんを確認"))
                    .statusCode()).isEqualTo(303);
            CaseRecord c = agent.daemon.services().cases().find(CaseRecord.parseId(id)).orElseThrow();
            assertThat(c.state()).isEqualTo("responding");
            assertThat(agent.daemon.services().cases().timeline(c.id())).anySatisfy(t -> {
                assertThat(t.actor()).isEqualTo("tanaka");
                assertThat(t.text()).contains("改ざんを確認");
            }).anySatisfy(t -> assertThat(t.text()).isEqualTo("保守事業者に連絡済み"));

            // Report form 1: the 【要記入】 parts written on the case page, the printable page filled from the case
            assertThat(get("/cases/" + id + "/report", cookie).body()).contains("報告様式1").contains("【要記入】").contains("令和");
            assertThat(post("/cases/" + id + "/report", cookie, origin, Map.of("csrf", token, "r_service_impact", "公開サイトを2時間停止",
                    "r_prevention", "CMS の更新手順を見直す", "r_cause", "")).statusCode()).isEqualTo(303);
            String report = get("/cases/" + id + "/report", cookie).body();
            assertThat(report).contains("サービスへの影響: 公開サイトを2時間停止").contains("CMS の更新手順を見直す")
                    .contains("原因の調査結果: 【要記入】").containsPattern("令和\\d+年\\d+月\\d+日");
            assertThat(get("/cases/" + id + "/report?calendar=western", cookie).body()).containsPattern("20\\d\\d年\\d\\d月\\d\\d日");
            assertThat(get("/cases/" + id, cookie).body()).contains("公開サイトを2時間停止");
            // and as a Word document for the CISO, read back with POI
            HttpResponse<byte[]> docx = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/cases/" + id + "/report.docx"))
                    .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(docx.statusCode()).isEqualTo(200);
            assertThat(docx.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"report-form-1-" + id + ".docx\"");
            try (org.apache.poi.xwpf.usermodel.XWPFDocument doc = new org.apache.poi.xwpf.usermodel.XWPFDocument(
                    new java.io.ByteArrayInputStream(docx.body()))) {
                String words = doc.getParagraphs().stream().map(org.apache.poi.xwpf.usermodel.XWPFParagraph::getText)
                        .collect(Collectors.joining("\n"));
                assertThat(words).contains("情報セキュリティインシデント事案の発生について（報告）").contains("サービスへの影響: 公開サイトを2時間停止")
                        .containsPattern("令和\\d+年\\d+月\\d+日").contains("以上");
                assertThat(doc.getParagraphs().get(0).getAlignment()).isEqualTo(org.apache.poi.xwpf.usermodel.ParagraphAlignment.RIGHT);
            }
            assertThat(get("/cases/" + id + "/report.docx", null).statusCode()).as("not without a login").isEqualTo(303);
            assertThat(agent.daemon.services().cases().timeline(c.id())).anySatisfy(t -> {
                assertThat(t.actor()).isEqualTo("tanaka");
                assertThat(t.text()).isEqualTo("報告様式1の「2 サービスへの影響」を記入");
            });
            assertThat(post("/logout", cookie, origin, Map.of("csrf", token)).statusCode()).isEqualTo(303);
            assertThat(get("/cases", cookie).statusCode()).as("logged out").isEqualTo(303);
        }
    }

    @Test
    void a_viewer_reads_cases_but_cannot_change_them_and_a_removed_user_is_signed_out() throws Exception {
        Path config = configWithUsers(tmp.resolve("c"));
        try (AgentHarness agent = AgentHarness.start(config, tmp.resolve("data"), Map.of())) {
            port = agent.httpPort;
            agent.tcp("<1>Nov 26 18:00:00 web01 ossec: Integrity checksum changed for: '/var/www/html/index.html'\n");
            assertThat(AgentHarness.await(Duration.ofSeconds(10), () -> agent.daemon.services().cases().list().size() == 1)).isTrue();
            String id = agent.daemon.services().cases().list().get(0).displayId();
            String cookie = login("suzuki", VIEWER_PASSWORD);
            String page = get("/cases/" + id, cookie).body();
            assertThat(page).contains(id).doesNotContain("change-state");
            Matcher m = Pattern.compile("name=\"csrf\" value=\"([0-9a-f]{64})\"").matcher(page);
            assertThat(m.find()).isTrue(); // the logout form
            HttpResponse<String> refused = post("/cases/" + id + "/state", cookie, null, Map.of("csrf", m.group(1), "state", "responding", "why", "x"));
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).contains("閲覧者は案件を変更できません");
            assertThat(post("/cases/" + id + "/report", cookie, null, Map.of("csrf", m.group(1), "r_cause", "x")).statusCode()).isEqualTo(403);
            assertThat(agent.daemon.services().cases().reportFields(CaseRecord.parseId(id))).isEmpty();
            assertThat(page).doesNotContain("save-report");

            Accounts.write(config.resolve(Accounts.FILE), List.of(new Accounts.Account("tanaka", Role.HANDLER, Accounts.hash(HANDLER_PASSWORD))));
            assertThat(get("/cases", cookie).statusCode()).as("a removed user's session ends").isEqualTo(303);
        }
    }

    @Test
    void a_report_from_a_person_is_recorded_from_the_intake_form_with_the_plans_checks_and_a_wrong_answer_comes_back() throws Exception {
        Path config = configWithUsers(tmp.resolve("c"));
        try (AgentHarness agent = AgentHarness.start(config, tmp.resolve("data"), Map.of())) {
            port = agent.httpPort;
            String cookie = login("tanaka", HANDLER_PASSWORD);
            HttpResponse<String> form = get("/intake", cookie);
            assertThat(form.statusCode()).isEqualTo(200);
            assertThat(form.body()).contains("市民等からの通報・報告").contains("折り返しの連絡をして虚偽でない通報と確認した")
                    .contains("電源や LAN ケーブル等の接続を確認した").contains("運用・保守を担当する外部委託事業者に問い合わせた")
                    .contains("自治体セプター（J-LIS）等からの通報・報告").contains("暗号化").doesNotContain("reporter.kind");
            String token = csrf(form.body());
            String origin = "http://127.0.0.1:" + port;

            // a theft report without the encryption answer the table needs is not "not an incident": it comes back
            Map<String, String> lost = new java.util.HashMap<>(Map.of("csrf", token, "reporter_kind", "staff", "reporter_contact", "総務課 内線1234",
                    "category", "theft", "summary", "個人情報を保存したUSBメモリを紛失", "fact_kind", "lost", "fact_item", "medium",
                    "fact_holds", "personal", "check_staff_how_found", "帰宅後に鞄を確認して気づいた", "check_staff_power_lan", "on"));
            lost.put("check_staff_system_state", "なし");
            lost.put("fact_encrypted", "maybe");
            HttpResponse<String> refused = post("/intake", cookie, origin, lost);
            assertThat(refused.statusCode()).isEqualTo(422);
            assertThat(refused.body()).contains("暗号化（encrypted）の答え「maybe」は判断基準にありません").contains("はい、いいえ")
                    .contains("value=\"総務課 内線1234\"").contains("帰宅後に鞄を確認して気づいた");
            assertThat(agent.daemon.services().cases().list()).isEmpty();

            lost.put("fact_encrypted", "false");
            HttpResponse<String> recorded = post("/intake", cookie, origin, lost);
            assertThat(recorded.statusCode()).as(recorded.body()).isEqualTo(303);
            assertThat(recorded.headers().firstValue("Location")).hasValue("/cases/C-000001");
            String page = get("/cases/C-000001", cookie).body();
            assertThat(page).contains("レベル2").contains("報告者 職員等（総務課 内線1234）、確認不要、インシデントの兆候を発見した経緯: 帰宅後に鞄を確認して気づいた")
                    .contains("電源や LAN ケーブル等の接続を確認した: 済").contains("報告の受付をコンソールで記録");

            // a viewer cannot record reports
            String viewer = login("suzuki", VIEWER_PASSWORD);
            assertThat(get("/intake", viewer).statusCode()).isEqualTo(403);
        }
    }

    @Test
    void the_overview_counts_verdicts_per_day_with_level_zero_and_the_evidence_downloads_as_a_zip_with_its_check() throws Exception {
        Path config = configWithUsers(tmp.resolve("c"));
        try (AgentHarness agent = AgentHarness.start(config, tmp.resolve("data"), Map.of())) {
            port = agent.httpPort;
            agent.tcp("<1>Nov 26 18:00:00 web01 ossec: Integrity checksum changed for: '/var/www/html/index.html'\n"
                    + "<86>Nov 26 18:00:01 web01 sshd[1]: Accepted publickey for admin from 192.0.2.5 port 22 ssh2\n");
            assertThat(AgentHarness.await(Duration.ofSeconds(10), () -> agent.daemon.services().cases().list().size() == 1)).isTrue();
            String today = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Tokyo")).toString();
            // the minute's job, run now: both verdicts reach the store's daily counts
            assertThat(AgentHarness.await(Duration.ofSeconds(10), () -> {
                agent.daemon.services().housekeeping().notices();
                return agent.daemon.services().cases().verdictCounts(java.time.LocalDate.parse(today)).values().stream()
                        .mapToLong(Long::longValue).sum() >= 2;
            })).isTrue();
            String cookie = login("tanaka", HANDLER_PASSWORD);
            String overview = get("/overview", cookie).body();
            assertThat(overview).contains("日ごとの判定件数").contains("<th colspan=\"3\">サイバー攻撃</th>").contains("<th>レベル0</th>")
                    .contains("ログが届いていない機器（0 台）");
            Matcher row = Pattern.compile("<tr><td>" + today + "</td>((?:<td>\\d+</td>)+)</tr>").matcher(overview);
            assertThat(row.find()).as(overview).isTrue();
            List<Long> cells = new java.util.ArrayList<>();
            Matcher cell = Pattern.compile("<td>(\\d+)</td>").matcher(row.group(1));
            while (cell.find()) {
                cells.add(Long.parseLong(cell.group(1)));
            }
            assertThat(cells.get(cells.size() - 1)).as("today's verdicts in all").isGreaterThanOrEqualTo(2);
            assertThat(cells.subList(0, cells.size() - 1).stream().mapToLong(Long::longValue).sum()).isEqualTo(cells.get(cells.size() - 1));

            // coverage: web01 sent (counted with the same minute's job), an inventory asset that never did says so
            String coverage = get("/coverage", cookie).body();
            assertThat(coverage).contains("ログの収集状況").containsPattern("<td>web01</td><td>サーバ</td>.*JST</td>")
                    .containsPattern("<td>fw01</td>.*一度も受信していません");

            String id = agent.daemon.services().cases().list().get(0).displayId();
            HttpResponse<byte[]> zip = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/cases/" + id + "/export.zip"))
                    .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(zip.statusCode()).isEqualTo(200);
            assertThat(zip.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"" + id + "-evidence.zip\"");
            String head = zip.headers().firstValue("X-CSIRT-Chain-Head").orElseThrow();
            Path unpacked = tmp.resolve("unpacked");
            List<String> names = new java.util.ArrayList<>();
            try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip.body()))) {
                for (java.util.zip.ZipEntry e; (e = in.getNextEntry()) != null; ) {
                    names.add(e.getName());
                    Path f = unpacked.resolve(e.getName());
                    java.nio.file.Files.createDirectories(f.getParent());
                    java.nio.file.Files.copy(in, f);
                }
            }
            assertThat(names).contains(id + "-evidence/README.ja.txt", id + "-evidence/SHA256SUMS", id + "-evidence/chain.txt",
                    id + "-evidence/case.json", id + "-evidence/timeline.json");
            // the download verifies as the command line's export does, against the chain head it was given
            csirt.agent.evidence.ExportVerifier.Report check = csirt.agent.evidence.ExportVerifier.verify(unpacked.resolve(id + "-evidence"),
                    csirt.agent.evidence.ExportVerifier.Head.parse(head));
            assertThat(check.ok()).as(check.toString()).isTrue();
            assertThat(get("/cases/" + id, cookie).body()).contains("証拠の書き出し").contains("照合するチェーン先頭 --head " + head);
            assertThat(java.nio.file.Files.list(tmp.resolve("data").resolve("exports")).count()).as("no copy left on the server").isZero();
        }
    }

    @Test
    void with_notice_language_en_the_console_speaks_english() throws Exception {
        Path config = configWithUsers(tmp.resolve("c"));
        try (AgentHarness agent = AgentHarness.start(config, tmp.resolve("data"), Map.of("notice.language", "en"))) {
            port = agent.httpPort;
            agent.tcp("<1>Nov 26 18:00:00 web01 ossec: Integrity checksum changed for: '/var/www/html/index.html'\n");
            assertThat(AgentHarness.await(Duration.ofSeconds(10), () -> agent.daemon.services().cases().list().size() == 1)).isTrue();
            String login = get("/login", null).body();
            assertThat(login).contains("<html lang=\"en\">").contains("Log in").contains("Password");
            assertThat(login.codePoints().filter(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN
                    || Character.UnicodeScript.of(c) == Character.UnicodeScript.HIRAGANA
                    || Character.UnicodeScript.of(c) == Character.UnicodeScript.KATAKANA).count()).as(login).isZero();
            String cookie = login("tanaka", HANDLER_PASSWORD);
            String list = get("/cases", cookie).body();
            assertThat(list).contains("case(s), most urgent first").contains("cyber attack").contains("triaged").contains("tanaka (handler)");
            String id = agent.daemon.services().cases().list().get(0).displayId();
            assertThat(get("/cases/" + id, cookie).body()).contains("Timeline").contains("Events (received logs)").contains("Move to")
                    .contains("serious incident");
            assertThat(get("/overview", cookie).body()).contains("Verdicts per day").contains("Open cases by age");
            assertThat(get("/intake", cookie).body()).contains("Record a report").contains("Called back and found the report true");
        }
    }

    @Test
    void a_personal_data_case_takes_the_four_answers_shows_its_deadlines_and_records_a_report_as_sent() throws Exception {
        Path config = configWithUsers(tmp.resolve("c"));
        try (AgentHarness agent = AgentHarness.start(config, tmp.resolve("data"), Map.of())) {
            port = agent.httpPort;
            String cookie = login("tanaka", HANDLER_PASSWORD);
            String origin = "http://127.0.0.1:" + port;
            String token = csrf(get("/intake", cookie).body());
            Map<String, String> lost = new java.util.HashMap<>(Map.of("csrf", token, "reporter_kind", "staff", "reporter_contact", "内線1234",
                    "category", "theft", "summary", "個人情報を保存したUSBメモリを紛失", "fact_kind", "lost", "fact_item", "medium",
                    "fact_holds", "personal", "fact_encrypted", "false"));
            assertThat(post("/intake", cookie, origin, lost).statusCode()).isEqualTo(303);
            String page = get("/cases/C-000001", cookie).body();
            assertThat(page).contains("個人情報保護委員会への報告").contains("要配慮個人情報が含まれる（1号）").doesNotContain("legal-status");
            assertThat(post("/cases/C-000001/legal", cookie, origin, Map.of("csrf", token, "personal", "on", "wrongful", "on", "persons", "1500"))
                    .statusCode()).isEqualTo(303);
            page = get("/cases/C-000001", cookie).body();
            assertThat(page).contains("報告の対象です").contains("速報 期限").contains("確報 期限").contains("（未送付）")
                    .contains("id=\"legal-sent-preliminary\"");
            assertThat(agent.daemon.services().cases().legal(1).orElseThrow().answers().reportable()).isTrue();
            assertThat(post("/cases/C-000001/report", cookie, origin, Map.of("csrf", token, "r_ppc.items", "氏名、住所、電話番号")).statusCode())
                    .isEqualTo(303);
            assertThat(get("/cases/C-000001/legal-report", cookie).body()).contains("2 漏えい等が発生し、又は発生したおそれがある個人データの項目")
                    .contains("氏名、住所、電話番号").contains("1500人");
            assertThat(post("/cases/C-000001/legal", cookie, origin, Map.of("csrf", token, "sent", "preliminary")).statusCode()).isEqualTo(303);
            assertThat(agent.daemon.services().cases().legal(1).orElseThrow().preliminarySentAt()).isNotNull();
            assertThat(get("/cases/C-000001", cookie).body()).contains("送付済み").doesNotContain("id=\"legal-sent-preliminary\"");
        }
    }

    @Test
    void a_drill_started_from_the_console_is_listed_apart_from_real_cases() throws Exception {
        Path config = configWithUsers(tmp.resolve("c"));
        try (AgentHarness agent = AgentHarness.start(config, tmp.resolve("data"), Map.of())) {
            port = agent.httpPort;
            String cookie = login("tanaka", HANDLER_PASSWORD);
            String page = get("/drills", cookie).body();
            assertThat(page).contains("訓練（計画5(2)）").contains("ransomware-spread").contains("職員からの USB メモリ紛失の報告");
            HttpResponse<String> run = post("/drills", cookie, "http://127.0.0.1:" + port, Map.of("csrf", csrf(page), "name", "lost-usb"));
            assertThat(run.statusCode()).isEqualTo(303);
            assertThat(get("/drills", cookie).body()).contains("訓練「職員からの USB メモリ紛失の報告」を開始しました");
            assertThat(AgentHarness.await(Duration.ofSeconds(15), () -> agent.daemon.services().cases().list().size() == 1)).isTrue();
            String id = agent.daemon.services().cases().list().get(0).displayId();
            assertThat(get("/cases", cookie).body()).as("not among the real cases").doesNotContain(id);
            assertThat(get("/cases?drills=1&state=all", cookie).body()).contains(id).contains("【訓練】");
            assertThat(get("/cases/" + id, cookie).body()).contains("対応の評価").contains("最初の受信");
        }
    }
}
