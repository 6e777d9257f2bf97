package io.jfcgi.servlet;

import jakarta.servlet.SessionCookieConfig;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** How the session cookie is made (name JSESSIONID, HttpOnly by default); web.xml's session-config sets it. */
final class SessionCookieSettings implements SessionCookieConfig {

    private final Map<String, String> attributes = Collections.synchronizedMap(
            new TreeMap<>(String.CASE_INSENSITIVE_ORDER));
    private volatile String name = "JSESSIONID";

    SessionCookieSettings() {
        attributes.put("HttpOnly", "");
    }

    @Override
    public void setName(String value) {
        name = value;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    @SuppressWarnings("removal")
    public void setDomain(String domain) {
        setAttribute("Domain", domain);
    }

    @Override
    public String getDomain() {
        return getAttribute("Domain");
    }

    @Override
    public void setPath(String path) {
        setAttribute("Path", path);
    }

    @Override
    public String getPath() {
        return getAttribute("Path");
    }

    @Override
    @SuppressWarnings("removal")
    public void setComment(String comment) {
        // RFC 6265 has no comments; the API keeps the method for compatibility only
    }

    @Override
    @SuppressWarnings("removal")
    public String getComment() {
        return null;
    }

    @Override
    public void setHttpOnly(boolean httpOnly) {
        setAttribute("HttpOnly", httpOnly ? "" : null);
    }

    @Override
    public boolean isHttpOnly() {
        return attributes.containsKey("HttpOnly");
    }

    @Override
    public void setSecure(boolean secure) {
        setAttribute("Secure", secure ? "" : null);
    }

    @Override
    public boolean isSecure() {
        return attributes.containsKey("Secure");
    }

    @Override
    public void setMaxAge(int maxAge) {
        setAttribute("Max-Age", Integer.toString(maxAge));
    }

    @Override
    public int getMaxAge() {
        String value = getAttribute("Max-Age");
        return value == null ? -1 : Integer.parseInt(value);
    }

    @Override
    public void setAttribute(String attribute, String value) {
        if (value == null) {
            attributes.remove(attribute);
        } else {
            attributes.put(attribute, value);
        }
    }

    @Override
    public String getAttribute(String attribute) {
        return attributes.get(attribute);
    }

    @Override
    public Map<String, String> getAttributes() {
        synchronized (attributes) {
            return Collections.unmodifiableMap(new TreeMap<>(attributes));
        }
    }
}
