package io.jfcgi.spawner.status;

/**
 * What a status request's query string asks for, read as PHP-FPM reads it: the words {@code json}, {@code xml},
 * {@code html}, {@code openmetrics} choose the format (text otherwise), {@code full} adds the processes. Only whole
 * parameter names count, with or without a value ({@code ?full=1&json}).
 */
public record StatusQuery(StatusPage page, boolean full) {

    public static StatusQuery parse(String queryString) {
        StatusPage page = StatusPage.TEXT;
        boolean full = false;
        if (queryString != null) {
            for (String parameter : queryString.split("&")) {
                String name = parameter.contains("=") ? parameter.substring(0, parameter.indexOf('=')) : parameter;
                switch (name) {
                    case "full" -> full = true;
                    case "json" -> page = StatusPage.JSON;
                    case "xml" -> page = StatusPage.XML;
                    case "html" -> page = StatusPage.HTML;
                    case "openmetrics" -> page = StatusPage.OPENMETRICS;
                    default -> {
                        // Other parameters are ignored, as PHP-FPM does.
                    }
                }
            }
        }
        return new StatusQuery(page, full);
    }
}
