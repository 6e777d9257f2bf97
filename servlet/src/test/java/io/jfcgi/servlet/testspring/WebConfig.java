package io.jfcgi.servlet.testspring;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

/** Spring MVC with one controller. */
@Configuration
@EnableWebMvc
@Import(GreetingController.class)
public class WebConfig {
}
