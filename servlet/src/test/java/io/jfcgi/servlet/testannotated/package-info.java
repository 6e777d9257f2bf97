/**
 * An application with no web.xml: servlets, a filter and a listener by annotation, and a
 * ServletContainerInitializer with {@code @HandlesTypes} named in META-INF/services
 * ({@code src/test/webapp/annotated}).
 */
package io.jfcgi.servlet.testannotated;
