package io.jfcgi.bench.spring;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

/** Spring MVC with its message converters (Jackson from WEB-INF/lib) and one controller. */
@Configuration
@EnableWebMvc
@Import(JsonController.class)
public class WebConfig {
}
