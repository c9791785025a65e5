package credits.bootstrap;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Debian's headless Chromium, driven through its own chromedriver (both at fixed paths: Selenium
 * Manager never downloads anything), one per test class. With the browser missing, the class is
 * skipped on a developer's machine and fails under CI, where .ci/run installs it.
 */
final class ConsoleBrowser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Duration WAIT = Duration.ofSeconds(15);

    private final ChromeDriver driver;
    private final Path profile;
    private final WebDriverWait wait;
    private final String origin;

    private ConsoleBrowser(ChromeDriver driver, Path profile, String origin) {
        this.driver = driver;
        this.profile = profile;
        this.origin = origin;
        // Pages re-render parts of themselves as answers arrive: an element read mid-render is looked up again.
        this.wait = (WebDriverWait) new WebDriverWait(driver, WAIT).ignoring(StaleElementReferenceException.class);
    }

    /** A browser whose pages live at {@code origin} (e.g. {@code http://127.0.0.1:8080}), in {@code timeZone}. */
    static ConsoleBrowser start(String origin, String timeZone) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String missing = "Chromium and chromedriver are not installed at " + CHROMIUM + " and " + CHROMEDRIVER
                    + " (sudo apt-get install -y chromium chromium-driver; .ci/run installs them)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(missing);
            }
            Assumptions.assumeTrue(false, missing + ": the console's browser tests are skipped on this machine");
        }
        try {
            Path profile = Files.createTempDirectory("console-chromium-");
            ChromeOptions options = new ChromeOptions()
                    .setBinary(CHROMIUM.toFile())
                    // The network is closed here: anything Chromium would fetch on its own must be off, or it stalls.
                    .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                            "--disable-background-networking", "--disable-component-update", "--disable-sync",
                            "--disable-dev-shm-usage", "--lang=en-US", "--window-size=1280,1000",
                            "--user-data-dir=" + profile);
            options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile())
                    .usingAnyFreePort()
                    .withEnvironment(Map.of("TZ", timeZone))
                    .build();
            return new ConsoleBrowser(new ChromeDriver(service, options), profile, origin);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens the console at {@code hash} (e.g. {@code #/users/alice}) signed out: this tab's sessionStorage emptied. */
    void openSignedOut() {
        driver.get(origin + Console.PATH);
        script("sessionStorage.clear(); history.replaceState(null, '', location.pathname);");
        driver.navigate().refresh();
        waitFor(By.id("token"));
    }

    /** Pastes {@code token} into the sign-in form and waits for the page it leads to. */
    void signIn(String token) {
        openSignedOut();
        find(By.id("token")).sendKeys(token);
        find(By.cssSelector("#sign-in-form button[type=submit]")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("token")));
    }

    /** Goes to {@code hash} in the signed-in tab (the token stays in sessionStorage). */
    void go(String hash) {
        driver.get(origin + Console.PATH + hash);
    }

    void reload() {
        driver.navigate().refresh();
    }

    /** Keys pressed wherever the focus is, as a person at the keyboard would. */
    void press(CharSequence... keys) {
        new Actions(driver).sendKeys(keys).perform();
    }

    String focused() {
        return (String) script("return document.activeElement.id || document.activeElement.tagName");
    }

    WebElement find(By by) {
        return driver.findElement(by);
    }

    List<WebElement> all(By by) {
        return driver.findElements(by);
    }

    WebElement waitFor(By by) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    <T> T until(Function<WebDriver, T> condition) {
        return wait.until(condition::apply);
    }

    void waitForText(By by, String text) {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(by, text));
    }

    /** Waits for the hash-chain badge to leave "checking" and returns where it ended. */
    String chainState() {
        return wait.until(d -> {
            String state = d.findElement(By.id("chain-badge")).getDomAttribute("data-state");
            return "checking".equals(state) ? null : state;
        });
    }

    Object script(String script, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(script, arguments);
    }

    /** Runs {@code script}, which calls {@code arguments[arguments.length - 1]} with its result. */
    Object asyncScript(String script, Object... arguments) {
        return ((JavascriptExecutor) driver).executeAsyncScript(script, arguments);
    }

    /** Sets a control the way a person's typing would, for those (datetime-local) keys cannot fill in every locale. */
    void setValue(By by, String value) {
        script("const c = arguments[0]; c.value = arguments[1]; c.dispatchEvent(new Event('input', {bubbles: true}));"
                + "c.dispatchEvent(new Event('change', {bubbles: true}));", find(by), value);
    }

    /** What the page logged since the last call (console messages, CSP refusals, failed loads). */
    List<LogEntry> takeLog() {
        return driver.manage().logs().get(LogType.BROWSER).getAll();
    }

    void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    void screenshot(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String origin() {
        return origin;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (var paths = Files.walk(profile)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            } catch (IOException e) {
                // A profile file Chromium still held: the temp dir is the system's to clean.
            }
        }
    }
}
