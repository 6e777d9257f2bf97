package io.jfcgi.servlet.testjersey;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

/** /api/hello: a query parameter, a path parameter, a body, a status of our choosing. */
@Path("hello")
public class HelloResource {

    @GET
    @Produces("text/plain;charset=UTF-8")
    public String hello(@QueryParam("name") @DefaultValue("world") String name) {
        return "hello " + name;
    }

    @GET
    @Path("{id}")
    @Produces("text/plain")
    public String one(@PathParam("id") int id) {
        return "id " + id;
    }

    @POST
    @Consumes("text/plain")
    @Produces("text/plain;charset=UTF-8")
    public String post(String body) {
        return "posted " + body;
    }

    @GET
    @Path("teapot")
    public Response teapot() {
        return Response.status(418).entity("short and stout").type("text/plain").build();
    }
}
