package io.jfcgi.servlet;

import org.w3c.dom.Element;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/** The WEB-INF/lib jars of a WAR, each with its {@code META-INF/web-fragment.xml} if it has one (§8.2.1). */
final class WebFragments {

    /**
     * One jar: where it stands in the ordering, its parsed {@code <web-fragment>} (null without one), and whether
     * that says metadata-complete (its classes' annotations then count for nothing).
     */
    record Jar(Path path, FragmentOrder.Fragment ordering, Element descriptor, boolean metadataComplete) {
    }

    private WebFragments() {
    }

    /**
     * @param jars the WEB-INF/lib jars in name order
     * @throws IllegalArgumentException a jar that is not a zip, or a web-fragment.xml that is not well-formed
     */
    static List<Jar> read(List<Path> jars) throws IOException {
        List<Jar> read = new ArrayList<>();
        for (Path path : jars) {
            String jarName = path.getFileName().toString();
            try (ZipFile zip = new ZipFile(path.toFile())) {
                ZipEntry entry = zip.getEntry("META-INF/web-fragment.xml");
                if (entry == null) {
                    read.add(new Jar(path, FragmentOrder.Fragment.unordered(jarName, null), null, false));
                    continue;
                }
                try (InputStream in = zip.getInputStream(entry)) {
                    Element root = WebXml.parse(in, "web-fragment.xml in " + jarName).getDocumentElement();
                    read.add(new Jar(path, ordering(root, jarName), root,
                            Boolean.parseBoolean(root.getAttribute("metadata-complete"))));
                }
            } catch (ZipException e) {
                throw new IllegalArgumentException("WEB-INF/lib/" + jarName + " is not a jar: " + e.getMessage(), e);
            }
        }
        return read;
    }

    private static FragmentOrder.Fragment ordering(Element root, String jarName) {
        String name = WebXml.text(root, "name").filter(n -> !n.isEmpty()).orElse(null);
        List<String> before = List.of();
        List<String> after = List.of();
        boolean beforeOthers = false;
        boolean afterOthers = false;
        for (Element ordering : WebXml.children(root, "ordering")) {
            for (Element element : WebXml.children(ordering, "before")) {
                before = WebXml.texts(element, "name");
                beforeOthers = !WebXml.children(element, "others").isEmpty();
            }
            for (Element element : WebXml.children(ordering, "after")) {
                after = WebXml.texts(element, "name");
                afterOthers = !WebXml.children(element, "others").isEmpty();
            }
        }
        return new FragmentOrder.Fragment(jarName, name, before, beforeOthers, after, afterOthers);
    }
}
