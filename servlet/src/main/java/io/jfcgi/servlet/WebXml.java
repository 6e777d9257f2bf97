package io.jfcgi.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletRegistration;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code WEB-INF/web.xml} read with the JDK's DOM parser and applied to a context: context-params, listeners,
 * filters (init-params, mappings with dispatcher types), servlets (init-params, load-on-startup, multipart-config,
 * mappings), session-config, mime-mappings, welcome files, error pages by code and by exception type, and the
 * default request and response encodings. Any version's namespace (or none, for the DTD-era 2.3 files) is
 * accepted; DTDs and external entities are never fetched. JSP files are not supported and said so; security
 * constraints and login config are not enforced, and a warning says so at start.
 */
final class WebXml {

    /**
     * What a web.xml says that the deployment needs besides the context's registrations: whether annotations and
     * fragments are ignored, and its {@code <absolute-ordering>} (names and {@link FragmentOrder#OTHERS}).
     */
    record Facts(boolean metadataComplete, Optional<List<String>> absoluteOrdering) {
    }

    private WebXml() {
    }

    /**
     * Reads web.xml and applies it.
     *
     * @throws IllegalArgumentException naming what is wrong in the file (a one-line error for the user)
     */
    static Facts apply(InputStream xml, WebAppContext context) throws IOException {
        Element root = parse(xml, "web.xml").getDocumentElement();
        Facts facts = facts(root);
        apply(root, context, false);
        return facts;
    }

    /** The facts of a parsed web.xml. */
    static Facts facts(Element root) {
        Optional<List<String>> absolute = Optional.empty();
        for (Element ordering : children(root, "absolute-ordering")) {
            List<String> entries = new ArrayList<>();
            NodeList nodes = ordering.getChildNodes();
            for (int i = 0; i < nodes.getLength(); i++) {
                if (nodes.item(i) instanceof Element entry) {
                    entries.add(entry.getLocalName().equals("others") ? FragmentOrder.OTHERS
                            : entry.getTextContent().trim());
                }
            }
            absolute = Optional.of(entries);
        }
        return new Facts(Boolean.parseBoolean(root.getAttribute("metadata-complete")), absolute);
    }

    /**
     * Applies a parsed web.xml ({@code <web-app>}) or web-fragment.xml ({@code <web-fragment>}). A fragment adds
     * to what web.xml declared: a servlet or filter declared already keeps its declaration (web.xml's wins,
     * §8.2.3), and so does a servlet's mapping.
     *
     * @throws IllegalArgumentException naming what is wrong in the file (a one-line error for the user)
     */
    static void apply(Element root, WebAppContext context, boolean fragment) {
        String expected = fragment ? "web-fragment" : "web-app";
        if (!root.getLocalName().equals(expected)) {
            throw new IllegalArgumentException((fragment ? "web-fragment.xml" : "web.xml") + "'s root element is <"
                    + root.getLocalName() + ">, not <" + expected + ">");
        }
        text(root, "display-name").ifPresent(context::setDisplayName);
        for (Element param : children(root, "context-param")) {
            context.setInitParameter(required(param, "param-name"), text(param, "param-value").orElse(""));
        }
        for (Element listener : children(root, "listener")) {
            context.addListener(required(listener, "listener-class"));
        }
        Set<String> declaredBefore = new HashSet<>();
        for (Element filter : children(root, "filter")) {
            String name = required(filter, "filter-name");
            if (fragment && context.filter(name) != null) {
                declaredBefore.add("filter " + name);
                continue;
            }
            filter(filter, context);
        }
        for (Element mapping : children(root, "filter-mapping")) {
            String name = required(mapping, "filter-name");
            FilterRegistration declared = context.getFilterRegistration(name);
            if (fragment && declaredBefore.contains("filter " + name) && declared != null
                    && !(declared.getUrlPatternMappings().isEmpty() && declared.getServletNameMappings().isEmpty())) {
                continue; // web.xml mapped it: its mappings win
            }
            filterMapping(mapping, context);
        }
        for (Element servlet : children(root, "servlet")) {
            String name = required(servlet, "servlet-name");
            if (fragment && context.servlet(name) != null) {
                declaredBefore.add("servlet " + name);
                continue;
            }
            servlet(servlet, context);
        }
        for (Element mapping : children(root, "servlet-mapping")) {
            String name = required(mapping, "servlet-name");
            ServletRegistration registration = context.getServletRegistration(name);
            if (fragment && declaredBefore.contains("servlet " + name) && registration != null
                    && !registration.getMappings().isEmpty()) {
                continue; // web.xml mapped it: its patterns win
            }
            if (registration == null) {
                throw new IllegalArgumentException("servlet-mapping names servlet '" + name
                        + "', which web.xml does not declare");
            }
            List<String> patterns = texts(mapping, "url-pattern");
            if (!registration.addMapping(patterns.toArray(new String[0])).isEmpty()) {
                throw new IllegalArgumentException("servlet '" + name + "' is mapped to " + patterns
                        + ", which another servlet has");
            }
        }
        for (Element session : children(root, "session-config")) {
            sessionConfig(session, context);
        }
        for (Element mime : children(root, "mime-mapping")) {
            context.addMimeMapping(required(mime, "extension"), required(mime, "mime-type"));
        }
        for (Element list : children(root, "welcome-file-list")) {
            context.welcomeFiles().addAll(texts(list, "welcome-file"));
        }
        for (Element page : children(root, "error-page")) {
            errorPage(page, context);
        }
        for (String unenforced : List.of("security-constraint", "login-config")) {
            if (!children(root, unenforced).isEmpty()) {
                // said loudly: an application that counts on the container to protect paths is open without it
                context.logger().warn("web.xml's <{}> is NOT enforced by jfcgi-servlet: protect those paths in the "
                        + "web server (auth_basic, auth_request, an authorizer)", unenforced);
            }
        }
        text(root, "request-character-encoding").ifPresent(context::setRequestCharacterEncoding);
        text(root, "response-character-encoding").ifPresent(context::setResponseCharacterEncoding);
    }

    private static void filter(Element filter, WebAppContext context) {
        String name = required(filter, "filter-name");
        FilterRegistration.Dynamic registration = context.addFilter(name, required(filter, "filter-class"));
        if (registration == null) {
            throw new IllegalArgumentException("filter '" + name + "' is declared twice");
        }
        for (Element param : children(filter, "init-param")) {
            registration.setInitParameter(required(param, "param-name"), text(param, "param-value").orElse(""));
        }
        text(filter, "async-supported").ifPresent(v -> registration.setAsyncSupported(Boolean.parseBoolean(v)));
    }

    private static void filterMapping(Element mapping, WebAppContext context) {
        String name = required(mapping, "filter-name");
        FilterRegistration registration = context.getFilterRegistration(name);
        if (registration == null) {
            throw new IllegalArgumentException("filter-mapping names filter '" + name
                    + "', which web.xml does not declare");
        }
        EnumSet<DispatcherType> types = EnumSet.noneOf(DispatcherType.class);
        for (String type : texts(mapping, "dispatcher")) {
            try {
                types.add(DispatcherType.valueOf(type.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("filter-mapping of '" + name + "' has dispatcher '" + type
                        + "'; one of " + List.of(DispatcherType.values()) + " is expected");
            }
        }
        List<String> patterns = texts(mapping, "url-pattern");
        if (!patterns.isEmpty()) {
            registration.addMappingForUrlPatterns(types, true, patterns.toArray(new String[0]));
        }
        List<String> servlets = texts(mapping, "servlet-name");
        if (!servlets.isEmpty()) {
            registration.addMappingForServletNames(types, true, servlets.toArray(new String[0]));
        }
    }

    private static void servlet(Element servlet, WebAppContext context) {
        String name = required(servlet, "servlet-name");
        String className = text(servlet, "servlet-class").orElse(null);
        if (className == null) {
            throw new IllegalArgumentException("servlet '" + name + "' has no servlet-class"
                    + (text(servlet, "jsp-file").isPresent() ? " (JSP is not supported by jfcgi-servlet)" : ""));
        }
        ServletRegistration.Dynamic registration = context.addServlet(name, className);
        if (registration == null) {
            throw new IllegalArgumentException("servlet '" + name + "' is declared twice");
        }
        for (Element param : children(servlet, "init-param")) {
            registration.setInitParameter(required(param, "param-name"), text(param, "param-value").orElse(""));
        }
        text(servlet, "load-on-startup").ifPresent(v -> registration.setLoadOnStartup(
                v.isEmpty() ? 0 : number(v, "load-on-startup of servlet '" + name + "'")));
        text(servlet, "async-supported").ifPresent(v -> registration.setAsyncSupported(Boolean.parseBoolean(v)));
        for (Element multipart : children(servlet, "multipart-config")) {
            registration.setMultipartConfig(new MultipartConfigElement(text(multipart, "location").orElse(""),
                    longText(multipart, "max-file-size", -1), longText(multipart, "max-request-size", -1),
                    (int) longText(multipart, "file-size-threshold", 0)));
        }
    }

    private static void sessionConfig(Element session, WebAppContext context) {
        text(session, "session-timeout").ifPresent(v -> context.setSessionTimeout(number(v, "session-timeout")));
        for (Element cookie : children(session, "cookie-config")) {
            var config = context.getSessionCookieConfig();
            text(cookie, "name").ifPresent(config::setName);
            text(cookie, "domain").ifPresent(config::setDomain);
            text(cookie, "path").ifPresent(config::setPath);
            text(cookie, "http-only").ifPresent(v -> config.setHttpOnly(Boolean.parseBoolean(v)));
            text(cookie, "secure").ifPresent(v -> config.setSecure(Boolean.parseBoolean(v)));
            text(cookie, "max-age").ifPresent(v -> config.setMaxAge(number(v, "cookie-config max-age")));
            for (Element attribute : children(cookie, "attribute")) {
                config.setAttribute(required(attribute, "attribute-name"),
                        text(attribute, "attribute-value").orElse(""));
            }
        }
    }

    private static void errorPage(Element page, WebAppContext context) {
        String location = required(page, "location");
        if (!location.startsWith("/")) {
            throw new IllegalArgumentException("error-page location '" + location + "' must start with /");
        }
        var code = text(page, "error-code");
        var type = text(page, "exception-type");
        if (code.isPresent()) {
            context.errorPages().addForCode(number(code.get(), "error-code"), location);
        } else if (type.isPresent()) {
            context.errorPages().addForType(type.get(), location);
        } else {
            context.errorPages().addDefault(location);
        }
    }

    /** @param what the file, for the error message ("web.xml", "web-fragment.xml in a.jar") */
    static Document parse(InputStream xml, String what) throws IOException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setEntityResolver((publicId, systemId) -> new org.xml.sax.InputSource(new StringReader("")));
            builder.setErrorHandler(null);
            return builder.parse(xml);
        } catch (SAXException e) {
            throw new IllegalArgumentException(what + " is not well-formed XML: " + e.getMessage(), e);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a standard feature", e);
        }
    }

    static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node node = nodes.item(i);
            if (node instanceof Element element && name.equals(element.getLocalName())) {
                found.add(element);
            }
        }
        return found;
    }

    static java.util.Optional<String> text(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? java.util.Optional.empty()
                : java.util.Optional.of(found.get(0).getTextContent().trim());
    }

    static List<String> texts(Element parent, String name) {
        List<String> values = new ArrayList<>();
        for (Element element : children(parent, name)) {
            values.add(element.getTextContent().trim());
        }
        return values;
    }

    private static String required(Element parent, String name) {
        return text(parent, name).filter(v -> !v.isEmpty()).orElseThrow(() -> new IllegalArgumentException(
                "<" + parent.getLocalName() + "> in web.xml lacks <" + name + ">"));
    }

    private static long longText(Element parent, String name, long fallback) {
        return text(parent, name).map(v -> {
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("web.xml: " + name + " '" + v + "' is not a whole number");
            }
        }).orElse(fallback);
    }

    private static int number(String text, String what) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("web.xml: " + what + " '" + text + "' is not a whole number");
        }
    }
}
