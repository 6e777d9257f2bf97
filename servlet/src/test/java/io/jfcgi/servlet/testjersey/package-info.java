/**
 * A Jersey 4 (Jakarta REST 4) application with no web.xml: Jersey's ServletContainerInitializer finds
 * {@link io.jfcgi.servlet.testjersey.RestApp} by its @ApplicationPath and registers its servlet.
 */
package io.jfcgi.servlet.testjersey;
