package io.hireloop.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.Node;
import io.hireloop.learning.ModelCard;
import io.hireloop.learning.ModelRegistry;
import io.hireloop.recommendations.Drafts;
import io.hireloop.testing.Http;
import io.hireloop.testing.TestNodes;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser (Debian's headless Chromium through chromedriver, installed by bin/install-chromium
 * when missing) against a real node: an operator logs in with a token, sees the overview, creates experiments (the
 * node's ethics refusal shown in words), starts one, sees its results, approves a rollout that writes a config, rolls
 * a model back, approves a recommendation, reads analytics and a user's page, and a user token sees only its own page.
 * On a failure the page is saved under target/console-screenshots/ as failed-&lt;test&gt;.png (the views it passes through
 * are saved there too; experiment.png is the README's docs/console.png). The tests run in order: each continues where
 * the previous one left the browser. The node and the shared Cassandra start as in every node test (TestNodes).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
  static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
  static final String ADMIN = TestNodes.token("ops", "admin");
  static final String USER_ID = "u-console";
  static final String EXPERIMENT = "console-exp";

  static Node node;
  static Http http;
  static WebDriver driver;
  static String base;

  @RegisterExtension
  static final TestWatcher SCREENSHOT_ON_FAILURE = new TestWatcher() {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      screenshot("failed-" + context.getRequiredTestMethod().getName());
    }
  };

  @BeforeAll
  static void start() throws Exception {
    var install = new ProcessBuilder("bin/install-chromium").inheritIO().start();
    boolean installed = install.waitFor(10, TimeUnit.MINUTES) && install.exitValue() == 0;
    Assumptions.assumeTrue(installed, "skipped: chromium and chromium-driver are missing and bin/install-chromium could not install them"
        + " (it needs root and the Debian package mirrors)");
    node = TestNodes.startShared("console", Map.of());
    http = TestNodes.readyHttp(node);
    base = "http://127.0.0.1:" + node.httpPort() + "/";
    registerVersion(1, 0.70);
    registerVersion(2, 0.76);

    var options = new ChromeOptions();
    options.setBinary(which("chromium"));
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,1000");
    var service = new ChromeDriverService.Builder().usingDriverExecutable(new File(which("chromedriver"))).build();
    driver = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stop() {
    if (driver != null) driver.quit();
    if (node != null) node.close();
  }

  @Test
  @Order(1)
  void consoleIsServedAndRefusesABadToken() {
    var page = http.get("/", null);
    assertEquals(200, page.status());
    assertTrue(page.body().contains("/console/js/app.js"), page.body());
    assertEquals(200, http.get("/console/js/pages/experiments.js", null).status());
    assertEquals(404, http.get("/console/nothing-here.js", null).status());

    driver.get(base);
    login("not-a-token");
    waitText(By.cssSelector("#login .banner.bad"), "not a readable JWT");
    // readable, but signed with another secret: the node's 401 in words, and the login form stays
    login(new io.hireloop.api.Auth("another-secret-0123456789abcdef", "hireloop").issue("ops", "admin", Duration.ofHours(1)));
    waitText(By.cssSelector("#login .banner.bad"), "The token was not accepted");
  }

  @Test
  @Order(2)
  void adminLogsInAndSeesTheOverview() {
    driver.get(base);
    login(ADMIN);
    waitText(By.id("cluster-members"), "1 up");
    waitFor(By.id("read-model-lag"));
    waitText(By.id("ingest-rate"), "events/s");
    assertTrue(text(By.id("nav")).contains("Experiments"));
    waitText(By.id("page-overview"), "Stream: live");
    screenshot("overview");
  }

  @Test
  @Order(3)
  void createsExperimentsAndShowsTheEthicsRefusalInWords() {
    click(By.id("nav-experiments"));
    fillExperiment("console-underpowered", 1000);
    // the form shows the power check failing before anything is sent
    waitText(By.cssSelector("#ethics-checks li.fail"), "power");
    click(By.id("create-button"));
    waitText(By.id("experiment-status"), "draft");
    click(By.id("start-button"));
    waitText(By.id("action-result"), "Refused by the ethics checks (HTTP 422, ethics_check_failed)");
    assertTrue(text(By.id("action-result")).contains("underpowered"), text(By.id("action-result")));
    waitText(By.id("experiment-status"), "draft");

    driver.get(base + "#/experiments");
    fillExperiment(EXPERIMENT, 2000);
    waitFor(By.cssSelector("#ethics-checks li.pass"));
    assertTrue(driver.findElements(By.cssSelector("#ethics-checks li.fail")).isEmpty(), text(By.id("ethics-checks")));
    click(By.id("create-button"));
    waitText(By.id("experiment-status"), "draft");
    click(By.id("start-button"));
    waitText(By.id("experiment-status"), "running");
  }

  @Test
  @Order(4)
  void showsResultsAndApprovesARollout() {
    for (int i = 0; i < 20; i++) {
      var r = http.get("/api/v1/experiments/" + EXPERIMENT + "/assignment?user_id=" + USER_ID + "-" + i, ADMIN);
      assertEquals(200, r.status(), r.body());
    }
    // exposures reach the results through the experiment-exposures projection: refresh until all 20 are counted
    new WebDriverWait(driver, Duration.ofSeconds(90)).pollingEvery(Duration.ofSeconds(2))
        .ignoring(StaleElementReferenceException.class).until(d -> {
      d.findElement(By.id("refresh-results")).click();
      return exposedInTable() == 20;
    });
    waitText(By.id("decision"), "Decision: continue the test");
    waitText(By.id("banners"), "No sample-ratio mismatch");
    waitText(By.id("banners"), "Guardrail offer_rate");
    waitText(By.id("comparisons"), "treatment");

    new Select(driver.findElement(By.id("approve-variant"))).selectByValue("treatment");
    click(By.id("approve-button"));
    waitText(By.id("action-result"), "job_discovery config v1 written");
    waitText(By.id("rollout-state"), "Rollout in_progress: variant treatment, stage 1 of 3");
    var config = http.get("/api/v1/configs/job_discovery", ADMIN).json();
    assertEquals(1, config.path("version").asInt(), config.toString());
    assertEquals(0.1, config.path("values").path("rollout_fraction").asDouble(), config.toString());
    assertEquals(55, config.path("values").path("min_fit_score_to_apply").asInt(), config.toString());
    waitText(By.id("experiment-history"), "rollout_stage");
    // the README's picture (docs/console.png is a copy): the whole experiment page in one tall window
    driver.manage().window().setSize(new Dimension(1400, 2300));
    waitText(By.id("variant-results"), "treatment");
    screenshot("experiment");
    driver.manage().window().setSize(new Dimension(1400, 1000));

    driver.get(base + "#/experiments");
    waitText(By.id("experiment-list"), EXPERIMENT);
  }

  @Test
  @Order(5)
  void rollsAModelBack() {
    driver.get(base + "#/models");
    waitText(By.id("champion-version"), "v2");
    waitText(By.id("model-versions"), "v1");
    click(By.id("model-rollback"));
    // without a reason the node refuses, and the console says so
    waitText(By.cssSelector("#page-models .banner.bad"), "reason");
    assertEquals(2, http.get("/api/v1/models/interview", ADMIN).json().path("champion").asInt());
    driver.findElement(By.id("model-rollback-reason")).sendKeys("v2 looks worse in production");
    click(By.id("model-rollback"));
    waitText(By.id("champion-version"), "v1");
    var model = http.get("/api/v1/models/interview", ADMIN).json();
    assertEquals(1, model.path("champion").asInt(), model.toString());
    waitText(By.id("version-detail"), "Calibration curve");
    screenshot("models");
  }

  @Test
  @Order(6)
  void showsAnalyticsAndAUsersPageToAnAdmin() {
    driver.get(base + "#/analytics");
    waitText(By.id("page-analytics"), "No segment has");
    waitText(By.id("page-analytics"), "Validation failures");
    assertTrue(driver.findElements(By.cssSelector("#page-analytics .error")).isEmpty(), text(By.id("page-analytics")));
    driver.get(base + "#/user?id=" + USER_ID + "-1");
    waitText(By.id("user-performance"), "0 applications");
    waitText(By.id("user-config"), "min_fit_score");
    waitText(By.id("user-strategy"), "Recommended");
    waitFor(By.cssSelector("#user-cold-start p"));
    assertTrue(driver.findElements(By.cssSelector("#page-user .error")).isEmpty(), text(By.id("page-user")));
    screenshot("analytics-user");
  }

  @Test
  @Order(7)
  void approvesARecommendationAndShowsTheConfigs() {
    // confounded evidence is never applied by the rules: it waits for an admin
    var rec = io.hireloop.recommendations.Recommendations.get(node.system())
        .submit(Drafts.confounded("console:approve", "orchestrator", "{\"follow_up_after_days\": 5}"))
        .toCompletableFuture().join().recommendation();
    assertEquals("pending_review", rec.status().wire(), rec.toString());
    driver.get(base + "#/configs");
    waitText(By.cssSelector("#config-job_discovery .config-version"), "v1");
    assertTrue(text(By.id("config-job_discovery")).contains("experiment"), text(By.id("config-job_discovery")));
    waitText(By.id("pending-recommendations"), rec.id() + ": confounded finding console:approve");
    assertTrue(text(By.id("pending-recommendations")).contains("confounded"), text(By.id("pending-recommendations")));

    driver.findElement(By.id("approve-" + rec.id() + "-reason")).sendKeys("checked by hand");
    click(By.id("approve-" + rec.id()));
    waitText(By.cssSelector("#config-orchestrator .config-version"), "v1");
    var config = http.get("/api/v1/configs/orchestrator", ADMIN).json();
    assertEquals("approval", config.path("provenance").asText(), config.toString());
    assertEquals(5, config.path("values").path("follow_up_after_days").asInt(), config.toString());
    waitText(By.id("pending-recommendations"), "Nothing waits for approval");
    screenshot("configs");
  }

  @Test
  @Order(8)
  void aUserTokenSeesOnlyItsOwnPage() {
    click(By.id("logout"));
    login(TestNodes.token(USER_ID + "-0", "user"));
    waitText(By.id("user-performance"), "0 applications");
    var nav = text(By.id("nav"));
    assertTrue(nav.contains("My page"), nav);
    assertFalse(nav.contains("Experiments") || nav.contains("Models") || nav.contains("Overview"), nav);
    driver.get(base + "#/experiments");
    waitFor(By.id("page-user"));
    assertTrue(driver.getCurrentUrl().endsWith("#/user"), driver.getCurrentUrl());
  }

  // ------------------------------------------------------------------ helpers

  static void fillExperiment(String id, int minimumSampleSize) {
    waitFor(By.id("new-experiment-id"));
    type("new-experiment-id", id);
    type("new-name", "Lower fit threshold " + id);
    type("new-hypothesis", "Applying from fit 55 raises the interview rate");
    type("new-minimum-sample-size", String.valueOf(minimumSampleSize));
  }

  static void type(String id, String value) {
    var e = driver.findElement(By.id(id));
    e.clear();
    e.sendKeys(value);
  }

  static void login(String token) {
    var area = waitFor(By.id("token"));
    area.clear();
    area.sendKeys(token);
    click(By.id("login-button"));
  }

  /** The sum of the Exposed column of the variant results, or -1 while there is none. */
  static int exposedInTable() {
    var rows = driver.findElements(By.cssSelector("#variant-results tbody tr"));
    if (rows.isEmpty()) return -1;
    int sum = 0;
    for (var row : rows) sum += Integer.parseInt(row.findElements(By.tagName("td")).get(1).getText().replace(",", "").replace("–", "0"));
    return sum;
  }

  static WebElement waitFor(By by) {
    return new WebDriverWait(driver, Duration.ofSeconds(60)).until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  static void waitText(By by, String text) {
    // pages re-render sections when the stream or a refresh brings news: an element may go stale between look-ups
    new WebDriverWait(driver, Duration.ofSeconds(60)).withMessage(() -> "'" + text + "' in " + by + "; page: " + pageText())
        .ignoring(StaleElementReferenceException.class).until(d -> d.findElements(by).stream().anyMatch(e -> e.getText().contains(text)));
  }

  /** The element's text, looked up again when a re-render replaced it between the look-up and the read. */
  static String text(By by) {
    for (int i = 0; ; i++) {
      try {
        return driver.findElement(by).getText();
      } catch (StaleElementReferenceException e) {
        if (i == 10) throw e;
      }
    }
  }

  /** Clicks the element, looked up again when a re-render replaced it. */
  static void click(By by) {
    for (int i = 0; ; i++) {
      try {
        driver.findElement(by).click();
        return;
      } catch (StaleElementReferenceException e) {
        if (i == 10) throw e;
      }
    }
  }

  static String pageText() {
    try {
      var t = driver.findElement(By.tagName("main")).getText();
      return t.length() > 1500 ? t.substring(0, 1500) + "…" : t;
    } catch (RuntimeException e) {
      return "(unreadable: " + e + ")";
    }
  }

  static void screenshot(String name) {
    if (!(driver instanceof TakesScreenshot shooter)) return;
    try {
      Files.createDirectories(SCREENSHOTS);
      var file = shooter.getScreenshotAs(OutputType.FILE);
      Files.copy(file.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    } catch (Exception e) {
      System.err.println("no screenshot " + name + ": " + e);
    }
  }

  static String which(String program) {
    for (var dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      var f = new File(dir, program);
      if (f.canExecute()) return f.getAbsolutePath();
    }
    throw new IllegalStateException(program + " is not on the PATH");
  }

  /** Registers a card-only version of the interview model (gate: a better AUC becomes champion). */
  static void registerVersion(int version, double auc) throws Exception {
    var bins = new ArrayList<ModelCard.CalibrationBin>();
    for (int i = 0; i < 10; i++) bins.add(new ModelCard.CalibrationBin(i / 10.0, (i + 1) / 10.0, i / 10.0 + 0.05, Math.min(1, i / 10.0 + 0.03), 40));
    var card = new ModelCard("interview", version, Instant.now(), "job-console-" + version, "cpu", 1.0, "v2", null,
        new ModelCard.Metrics(auc, 0.5, 0.2, 0.03, 400, 0.3), bins, null, "platt", null, null, null);
    var registered = ClusterSharding.get(node.system()).entityRefFor(ModelRegistry.ENTITY_KEY, "interview")
        .<ModelRegistry.Registered>ask(r -> new ModelRegistry.Register(card.toJson(), new ModelRegistry.Gate(0.005, 0.005), r),
            Duration.ofSeconds(20))
        .toCompletableFuture().get();
    assertTrue(registered.ok(), registered.toString());
  }
}
