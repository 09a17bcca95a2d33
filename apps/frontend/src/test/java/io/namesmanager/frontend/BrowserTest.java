package io.namesmanager.frontend;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import io.helidon.webserver.WebServer;
import io.namesmanager.backend.EmbeddedBackend;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The UI in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) against the real backend.
 * Chromium runs in German and in India's time zone (UTC+5:30), so a timestamp shown in UTC or in English fails.
 * Screenshots land in {@code target/screenshots/} for people to look at.
 */
class BrowserTest {
    private static final Path CHROMIUM = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("chromedriver.binary", "/usr/bin/chromedriver"));
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final ZoneId VIEWER_ZONE = ZoneId.of("Asia/Kolkata");
    private static final Locale VIEWER_LOCALE = Locale.GERMANY;
    private static final String XSS = "<img src=x onerror=alert(1)>";

    private static WebServer frontend;
    private static String backendUrl;
    private static Path profile;
    private static ChromeDriver driver;
    private static WebDriverWait wait;

    @BeforeAll
    static void start() throws IOException {
        // Fail, never skip: CI installs the packages (.ci/run); a silent skip would hide a broken UI.
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("Chromium and its driver are needed at " + CHROMIUM + " and " + CHROMEDRIVER
                         + ": apt-get install chromium chromium-driver");
        }
        backendUrl = EmbeddedBackend.url();
        frontend = TestFrontend.start(backendUrl, Duration.ofSeconds(10));
        profile = Files.createTempDirectory("names-chromium-");
        driver = startChromium(profile);
        wait = new WebDriverWait(driver, Duration.ofSeconds(10));
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() throws IOException {
        if (driver != null) {
            driver.quit();
        }
        if (frontend != null) {
            frontend.stop();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @BeforeEach
    void freshPage() {
        EmbeddedBackend.clear();
        driver.manage().window().setSize(new Dimension(1280, 900));
        open(frontend);
    }

    @AfterEach
    void noAlertWasOpened() {
        // An alert would mean some name ran as HTML.
        assertThrows(NoAlertPresentException.class, () -> driver.switchTo().alert());
    }

    @Test
    void addsANameShowsItsTimeAndDeletesIt() throws IOException {
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("empty")));

        WebElement input = driver.findElement(By.id("name-input"));
        input.sendKeys("Ada Lovelace", Keys.ENTER);
        WebElement item = waitForItem("Ada Lovelace");

        assertThat(driver.switchTo().activeElement(), is(input));
        assertThat(input.getDomProperty("value"), is(""));
        WebElement time = item.findElement(By.tagName("time"));
        Instant created = Instant.parse(time.getDomAttribute("datetime"));
        assertThat(Duration.between(created, Instant.now()).abs().toMinutes(), lessThanOrEqualTo(1L));
        assertThat(time.getText(), is("Added " + viewerTime(created)));
        assertThat(driver.findElement(By.id("empty")).isDisplayed(), is(false));
        screenshot("names-added.png");

        item.findElement(By.cssSelector("button")).click();
        wait.until(ExpectedConditions.stalenessOf(item));
        assertThat(driver.findElement(By.id("toast")).getText(), is("Deleted “Ada Lovelace”."));
        assertThat(driver.switchTo().activeElement(), is(driver.findElement(By.id("name-input"))));

        driver.navigate().refresh();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("empty")));
        assertThat(items(), is(empty()));
    }

    @Test
    void showsTheBackendsValidationMessageNextToTheField() throws IOException {
        WebElement input = driver.findElement(By.id("name-input"));
        input.sendKeys("x".repeat(51), Keys.ENTER);

        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("name-error")));
        assertThat(error.getText(), is("Max length is 50 characters."));
        assertThat(input.getDomAttribute("aria-invalid"), is("true"));
        assertThat(driver.switchTo().activeElement(), is(input));
        assertThat(items(), is(empty()));
        screenshot("names-validation.png");

        input.sendKeys(Keys.BACK_SPACE);
        assertThat(error.isDisplayed(), is(false));
    }

    @Test
    void showsMarkupInANameAsText() {
        driver.findElement(By.id("name-input")).sendKeys(XSS, Keys.ENTER);
        WebElement item = waitForItem(XSS);

        assertThat(item.findElements(By.tagName("img")), is(empty()));
        driver.navigate().refresh();
        assertThat(waitForItem(XSS).findElements(By.tagName("img")), is(empty()));
    }

    @Test
    void loadsMorePages() throws IOException {
        for (int i = 1; i <= 23; i++) {
            createDirectly(String.format("Person %02d", i));
        }
        driver.navigate().refresh();
        wait.until(driver -> items().size() == 20);
        WebElement more = driver.findElement(By.id("more-button"));
        assertThat(more.isDisplayed(), is(true));
        assertThat(driver.findElement(By.id("list-count")).getText(), is("20 shown"));
        screenshot("names-list.png");

        more.click();
        wait.until(driver -> items().size() == 23);
        assertThat(more.isDisplayed(), is(false));
        assertThat(driver.findElement(By.id("list-count")).getText(), is("23 names"));
        assertThat(items().get(22).findElement(By.className("name-text")).getText(), is("Person 23"));
    }

    @Test
    void fitsAPhoneScreen() throws IOException {
        createDirectly("Maria Salomea Skłodowska-Curie");
        createDirectly("Grace Brewster Murray Hopper");
        driver.manage().window().setSize(new Dimension(375, 812));
        driver.navigate().refresh();
        waitForItem("Grace Brewster Murray Hopper");

        long overflow = (Long) ((JavascriptExecutor) driver).executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertThat(overflow, is(0L));
        screenshot("names-phone.png");
    }

    @Test
    void showsLoadingAndSavingStates() {
        try (StubBackend sluggish = StubBackend.start()) {
            WebServer slowFrontend = TestFrontend.start(sluggish.url(), Duration.ofSeconds(10));
            try {
                open(slowFrontend);
                assertThat(driver.findElement(By.id("loading")).isDisplayed(), is(true));
                assertThat(driver.findElement(By.id("empty")).isDisplayed(), is(false));
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("empty")));
                assertThat(driver.findElement(By.id("loading")).isDisplayed(), is(false));

                WebElement add = driver.findElement(By.id("add-button"));
                driver.findElement(By.id("name-input")).sendKeys("Edsger", Keys.ENTER);
                assertThat(add.isEnabled(), is(false));
                assertThat(add.getText(), is("Adding…"));
                waitForItem("Edsger");
                assertThat(add.isEnabled(), is(true));
                assertThat(add.getText(), is("Add"));
            } finally {
                slowFrontend.stop();
            }
        }
    }

    @Test
    void showsABannerWhenTheApiIsDown() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        WebServer orphan = TestFrontend.start("http://127.0.0.1:" + closedPort, Duration.ofSeconds(1));
        try {
            open(orphan);
            WebElement banner = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error-banner")));
            assertThat(banner.findElement(By.id("error-text")).getText(),
                       is("The names service is not available right now. Please try again in a moment."));
            assertThat(driver.findElement(By.id("loading")).isDisplayed(), is(false));
            assertThat(driver.findElement(By.id("empty")).isDisplayed(), is(false));
            assertThat(driver.findElement(By.id("unavailable")).isDisplayed(), is(true));
            screenshot("names-api-down.png");
        } finally {
            orphan.stop();
        }
    }

    private static ChromeDriver startChromium(Path userDataDir) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                             "--disable-background-networking", "--disable-component-update", "--disable-sync",
                             "--no-first-run", "--user-data-dir=" + userDataDir, "--window-size=1280,900",
                             // The viewer's language preference (navigator.languages), as set in the browser's settings.
                             "--accept-lang=de-DE");
        // The driver binary is given, so Selenium Manager never looks for (or downloads) one.
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withEnvironment(Map.of("TZ", VIEWER_ZONE.getId()))
                .build();
        return new ChromeDriver(service, options);
    }

    private static void open(WebServer server) {
        driver.get("http://127.0.0.1:" + server.port() + "/");
    }

    private static List<WebElement> items() {
        return driver.findElements(By.cssSelector("#names > li"));
    }

    private static WebElement waitForItem(String name) {
        return wait.until(driver -> items().stream()
                .filter(li -> li.findElement(By.className("name-text")).getText().equals(name))
                .findFirst()
                .orElse(null));
    }

    private static String viewerTime(Instant instant) {
        return DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT)
                .withLocale(VIEWER_LOCALE)
                .withZone(VIEWER_ZONE)
                .format(instant);
    }

    private static void createDirectly(String name) {
        try (HttpClientResponse res = WebClient.create(it -> it.baseUri(backendUrl))
                .post("/api/names")
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .submit("{\"name\":\"" + name + "\"}")) {
            assertThat(res.status().code(), is(201));
        }
    }

    private static void screenshot(String file) throws IOException {
        Path png = driver.getScreenshotAs(OutputType.FILE).toPath();
        Files.move(png, SCREENSHOTS.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
}
