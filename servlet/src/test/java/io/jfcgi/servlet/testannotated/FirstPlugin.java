package io.jfcgi.servlet.testannotated;

/** One plugin. */
public class FirstPlugin implements Plugin {
    @Override
    public String name() {
        return "first";
    }
}
