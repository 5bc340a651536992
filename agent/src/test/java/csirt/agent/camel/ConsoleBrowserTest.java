package csirt.agent.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import csirt.agent.cases.CaseRecord;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;

/**
 * The web console in a real browser (Debian's chromium, headless, driven by Selenium): the link of a
 * notice leads to the login, then to the case; a handler changes its state with a reason and adds a
 * note, and both appear in the case's timeline on the page.
 */
class ConsoleBrowserTest {

    @TempDir
    Path tmp;

    private static Path chromium() {
        for (String p : new String[] {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
            if (Files.isExecutable(Path.of(p))) {
                return Path.of(p);
            }
        }
        return null;
    }

    private static Path chromedriver() {
        for (String p : new String[] {"/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"}) {
            if (Files.isExecutable(Path.of(p))) {
                return Path.of(p);
            }
        }
        return null;
    }

    @Test
    void a_handler_follows_the_notice_link_logs_in_and_moves_the_case_on() throws Exception {
        boolean present = chromium() != null && chromedriver() != null;
        if (System.getenv("CSIRT_REQUIRE_BROWSER") == null) {
            Assumptions.assumeTrue(present, "chromium and chromium-driver are not installed here (.ci/run installs them and makes this test mandatory)");
        }
        assertThat(present).as("chromium and chromedriver").isTrue();

        Path config = ConsoleTest.configWithUsers(tmp.resolve("c"));
        try (AgentHarness agent = AgentHarness.start(config, tmp.resolve("data"), Map.of())) {
            agent.tcp("<11>Nov 26 18:00:00 web01 clamd[812]: /srv/www/upload/x.php: Php.Webshell-2 FOUND\n");
            assertThat(AgentHarness.await(Duration.ofSeconds(10), () -> agent.daemon.services().cases().list().size() == 1)).isTrue();
            String id = agent.daemon.services().cases().list().get(0).displayId();

            ChromeOptions options = new ChromeOptions();
            options.setBinary(chromium().toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--user-data-dir=" + tmp.resolve("profile"));
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver().toFile())
                    .usingAnyFreePort().build();
            WebDriver browser = new ChromeDriver(service, options);
            try {
                browser.manage().timeouts().implicitlyWait(Duration.ofSeconds(5));
                browser.manage().window().setSize(new Dimension(1280, 1600));
                // the link a notice carries
                browser.get("http://127.0.0.1:" + agent.httpPort + "/cases/" + id);
                assertThat(browser.getCurrentUrl()).contains("/login");
                shot(browser, "login");
                browser.findElement(By.id("name")).sendKeys("tanaka");
                browser.findElement(By.id("password")).sendKeys(ConsoleTest.HANDLER_PASSWORD);
                clickAndLoad(browser, By.id("login"));

                assertThat(browser.getCurrentUrl()).endsWith("/cases/" + id);
                assertThat(browser.findElement(By.id("case-id")).getText()).isEqualTo(id);
                assertThat(browser.findElement(By.id("state")).getText()).isEqualTo("トリアージ済み");
                assertThat(browser.findElement(By.id("events")).getText()).contains("Php.Webshell-2 FOUND");

                new Select(browser.findElement(By.id("next-state"))).selectByValue("responding");
                browser.findElement(By.id("why")).sendKeys("Webシェルを隔離");
                clickAndLoad(browser, By.id("change-state"));
                assertThat(browser.findElement(By.id("flash")).getText()).contains("の状態を「対応中（証拠保全・封じ込め・根絶）」にしました");
                assertThat(browser.findElement(By.id("state")).getText()).startsWith("対応中");

                browser.findElement(By.id("note")).sendKeys("保守事業者へ連絡済み");
                clickAndLoad(browser, By.id("add-note"));
                String timeline = browser.findElement(By.id("timeline")).getText();
                assertThat(timeline).contains("状態の変更").contains("tanaka").contains("Webシェルを隔離").contains("保守事業者へ連絡済み");
                // the timeline on a time axis: the chart library ran under the page's CSP and drew every entry
                long entries = agent.daemon.services().cases().timeline(CaseRecord.parseId(id)).size();
                Object points = ((JavascriptExecutor) browser).executeScript("return window.csirtTimeline ? window.csirtTimeline.points : -1");
                assertThat(((Number) points).longValue()).isEqualTo(entries);
                assertThat(browser.findElements(By.cssSelector("#timeline-chart canvas"))).isNotEmpty();
                assertThat(browser.findElement(By.id("timeline-chart")).getText()).contains("人の対応");
                // what a person sees, kept for review next to the test reports
                shot(browser, "case");

                // Report form 1: a person writes the cause, the printable page carries it, dated in 令和
                browser.findElement(By.id("r_cause")).sendKeys("アップロード機能の脆弱性を悪用されたWebシェルの設置");
                clickAndLoad(browser, By.id("save-report"));
                assertThat(browser.findElement(By.id("flash")).getText()).contains("報告様式1を保存しました");
                browser.get("http://127.0.0.1:" + agent.httpPort + "/cases/" + id + "/report");
                assertThat(browser.findElement(By.id("form1")).getText()).contains("報告様式1").contains("令和")
                        .contains("原因の調査結果: アップロード機能の脆弱性を悪用されたWebシェルの設置");
                shot(browser, "report");

                // the evidence download: the page's link, fetched with the browser's own session (the page's CSP
                // allows no script requests, so the test follows the link as the browser's download would)
                browser.get("http://127.0.0.1:" + agent.httpPort + "/cases/" + id);
                String link = browser.findElement(By.id("export")).getAttribute("href");
                org.openqa.selenium.Cookie session = browser.manage().getCookieNamed("csirt_session");
                java.net.http.HttpResponse<byte[]> zip = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                        .newBuilder(java.net.URI.create(link)).header("Cookie", session.getName() + "=" + session.getValue()).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
                assertThat(zip.statusCode()).isEqualTo(200);
                assertThat(zip.headers().firstValue("Content-Type")).hasValue("application/zip");
                assertThat(new String(zip.body(), 0, 2, StandardCharsets.ISO_8859_1)).as("the zip's signature").isEqualTo("PK");

                // the overview: the day's case on the chart, and the agent's health in words
                browser.get("http://127.0.0.1:" + agent.httpPort + "/overview");
                Object total = ((JavascriptExecutor) browser).executeScript("return window.csirtOverview ? window.csirtOverview.total : -1");
                assertThat(((Number) total).intValue()).as("cases on the chart").isEqualTo(1);
                assertThat(((Number) ((JavascriptExecutor) browser).executeScript("return window.csirtOverview.days")).intValue()).isEqualTo(30);
                assertThat(browser.findElement(By.id("open-count")).getText()).startsWith("1 件");
                assertThat(browser.findElements(By.cssSelector("#overview-chart canvas"))).isNotEmpty();
                assertThat(browser.findElement(By.id("verdict-days")).getText()).contains("レベル0").contains("一致する");
                shot(browser, "overview");

                // log coverage: web01 (an asset) has sent — its row gives the time — once the minute's job counted it
                assertThat(AgentHarness.await(Duration.ofSeconds(10), () -> {
                    agent.daemon.services().housekeeping().notices();
                    browser.get("http://127.0.0.1:" + agent.httpPort + "/coverage");
                    return browser.findElement(By.xpath("//table[@id='coverage']//tr[td[1]='web01']")).getText().contains("JST");
                })).isTrue();
                shot(browser, "coverage");

                // the intake form shows the checks of the chosen reporter only, and records the report
                browser.get("http://127.0.0.1:" + agent.httpPort + "/intake");
                new Select(browser.findElement(By.id("reporter-kind"))).selectByValue("citizen");
                assertThat(browser.findElement(By.id("checks-citizen")).isDisplayed()).isTrue();
                assertThat(browser.findElement(By.id("checks-staff")).isDisplayed()).isFalse();
                browser.findElement(By.id("reporter-contact")).sendKeys("山田 029-000-1111");
                new Select(browser.findElement(By.id("category"))).selectByValue("cyber");
                assertThat(browser.findElement(By.id("facts-theft")).isDisplayed()).isFalse();
                browser.findElement(By.id("summary")).sendKeys("市のホームページが改ざんされているとの電話");
                new Select(browser.findElement(By.id("annex_cyber"))).selectByValue("cyber.2.1");
                browser.findElement(By.id("check_citizen_callback_number")).sendKeys("029-000-1111");
                shot(browser, "intake");
                clickAndLoad(browser, By.id("record-report"));
                assertThat(browser.getCurrentUrl()).endsWith("/cases/C-000002");
                assertThat(browser.findElement(By.id("flash")).getText()).contains("C-000002: レベル2").contains("未確認");

                // the list shows it, and the filter finds it by host
                browser.get("http://127.0.0.1:" + agent.httpPort + "/cases");
                browser.findElement(By.id("q")).sendKeys("web01");
                clickAndLoad(browser, By.id("filter"));
                assertThat(browser.findElements(By.className("case-link"))).extracting(e -> e.getText()).containsExactly(id);
                shot(browser, "cases");
            } finally {
                browser.quit();
            }
        }
    }

    /** A screenshot of the page as a person sees it, under target/ for review (console-NAME.png). */
    private static void shot(WebDriver browser, String name) throws java.io.IOException {
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "console-" + name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    /**
     * Submits with the element and waits for the next page to replace this one: a read right after a
     * click could otherwise find the old page's element (stale, or with the old text) on a busy machine.
     */
    private static void clickAndLoad(WebDriver browser, By by) {
        org.openqa.selenium.WebElement page = browser.findElement(By.tagName("html"));
        browser.findElement(by).click();
        new org.openqa.selenium.support.ui.WebDriverWait(browser, Duration.ofSeconds(30))
                .until(org.openqa.selenium.support.ui.ExpectedConditions.stalenessOf(page));
    }
}
