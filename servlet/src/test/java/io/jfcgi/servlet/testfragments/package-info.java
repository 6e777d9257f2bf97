/** Classes of the WARs WebFragmentsTest builds: its jars' web fragments declare LabelFilters in some order. */
package io.jfcgi.servlet.testfragments;
