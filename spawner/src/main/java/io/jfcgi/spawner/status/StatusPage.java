package io.jfcgi.spawner.status;

/**
 * The status page's formats, as PHP-FPM's ({@code ?json}, {@code ?xml}, {@code ?html}, {@code ?openmetrics}, text
 * otherwise), each written from one {@link StatusSnapshot}; {@code full} adds one row per process.
 */
public enum StatusPage {
    TEXT("text/plain; charset=utf-8"),
    JSON("application/json"),
    XML("text/xml; charset=utf-8"),
    HTML("text/html; charset=utf-8"),
    OPENMETRICS("application/openmetrics-text; version=1.0.0; charset=utf-8");

    private final String contentType;

    StatusPage(String contentType) {
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType;
    }

    /** The page for {@code snapshot}; with {@code full}, one row (or block) per process. */
    public String render(StatusSnapshot snapshot, boolean full) {
        StatusSnapshot shown = full ? snapshot : new StatusSnapshot(snapshot.pool(), java.util.List.of());
        return switch (this) {
            case TEXT -> TextPage.render(shown);
            case JSON -> JsonPage.render(shown, full);
            case XML -> XmlPage.render(shown, full);
            case HTML -> HtmlPage.render(shown, full);
            case OPENMETRICS -> OpenMetricsPage.render(shown);
        };
    }
}
