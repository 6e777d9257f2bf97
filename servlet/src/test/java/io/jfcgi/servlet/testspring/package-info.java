/**
 * A Spring MVC 7 application with no web.xml: spring-web's ServletContainerInitializer finds
 * {@link io.jfcgi.servlet.testspring.AppInitializer}, which registers the DispatcherServlet.
 */
package io.jfcgi.servlet.testspring;
