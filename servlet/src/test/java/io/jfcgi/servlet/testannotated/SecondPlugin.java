package io.jfcgi.servlet.testannotated;

/** Another plugin. */
public class SecondPlugin implements Plugin {
    @Override
    public String name() {
        return "second";
    }
}
