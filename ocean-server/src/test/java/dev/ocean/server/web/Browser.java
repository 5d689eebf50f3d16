package dev.ocean.server.web;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by Debian's chromedriver, both named by path (no download).
 * Without them the tests are skipped on a developer's machine but fail under {@code CI=true}, so CI
 * never passes by not running them. Each {@link #shot} saves a screenshot under {@code
 * target/web-screenshots/} so a failure can be seen.
 */
final class Browser implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SHOTS = Path.of("target", "web-screenshots");

  final ChromeDriver driver;
  final String base;
  private final String prefix;
  private int step;

  Browser(String base, String prefix, String language) {
    this.base = base;
    this.prefix = prefix;
    requireChromium();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
        "--lang=" + language);
    options.setExperimentalOption("prefs", java.util.Map.of("intl.accept_languages", language));
    options.setCapability(
        "goog:loggingPrefs", java.util.Map.of("browser", java.util.logging.Level.ALL.getName()));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
  }

  static void requireChromium() {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (present) {
      return;
    }
    String why =
        "the browser tests need Debian's chromium and chromium-driver ("
            + CHROMIUM
            + ", "
            + CHROMEDRIVER
            + "); .ci/run installs them";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(why);
    }
    Assumptions.abort(why);
  }

  void open(String hash) {
    driver.get(base + "/#/" + hash);
  }

  WebElement find(String css) {
    return until(
        d -> {
          List<WebElement> found = d.findElements(By.cssSelector(css));
          return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        },
        "an element " + css);
  }

  <T> T until(ExpectedCondition<T> condition, String what) {
    // a page that re-renders between finding an element and reading it (a live update) is polled
    // again, not an error
    return new WebDriverWait(driver, Duration.ofSeconds(60))
        .ignoring(StaleElementReferenceException.class)
        .withMessage(
            () ->
                "waiting for "
                    + what
                    + " on "
                    + driver.getCurrentUrl()
                    + "; console:\n"
                    + console())
        .until(condition);
  }

  void untilText(String css, String text) {
    until(
        d -> {
          List<WebElement> found = d.findElements(By.cssSelector(css));
          return !found.isEmpty() && found.get(0).getText().contains(text) ? true : null;
        },
        "'" + text + "' in " + css);
  }

  void type(String css, String text) {
    WebElement e = find(css);
    e.clear();
    e.sendKeys(text);
  }

  void select(String css, String value) {
    new org.openqa.selenium.support.ui.Select(find(css)).selectByValue(value);
  }

  void click(String css) {
    find(css).click();
  }

  /** What the page logged to the console (errors of its scripts, failed requests). */
  String console() {
    try {
      return String.join(
          "\n",
          driver.manage().logs().get("browser").getAll().stream().map(Object::toString).toList());
    } catch (RuntimeException e) {
      return "(console not available: " + e + ")";
    }
  }

  /** The console's errors so far (script errors, CSP violations, failed loads). */
  List<String> consoleErrors() {
    return driver.manage().logs().get("browser").getAll().stream()
        .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
        .map(Object::toString)
        .toList();
  }

  /** Saves a screenshot named after the step, numbered in order. */
  void shot(String name) {
    try {
      Files.createDirectories(SHOTS);
      byte[] png = fullPage();
      Files.write(SHOTS.resolve("%s-%02d-%s.png".formatted(prefix, ++step, name)), png);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The whole page, not only the window, so what lies below the fold shows too. */
  private byte[] fullPage() {
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> size =
          (Map<String, Object>)
              driver.executeCdpCommand("Page.getLayoutMetrics", Map.of()).get("cssContentSize");
      Map<String, Object> clip =
          Map.of(
              "x",
              0,
              "y",
              0,
              // the window's width: without a scrollbar while capturing, the page lays out wider
              "width",
              driver.executeScript("return window.innerWidth;"),
              "height",
              size.get("height"),
              "scale",
              1);
      Object data =
          driver
              .executeCdpCommand(
                  "Page.captureScreenshot",
                  Map.of("format", "png", "captureBeyondViewport", true, "clip", clip))
              .get("data");
      return Base64.getDecoder().decode((String) data);
    } catch (RuntimeException e) {
      return driver.getScreenshotAs(OutputType.BYTES);
    }
  }

  @Override
  public void close() {
    driver.quit();
  }
}
