package io.jfcgi.servlet.testannotated;

/** What {@link PluginInitializer} asks the container for with @HandlesTypes. */
public interface Plugin {
    String name();
}
