package dev.voicegate.floor;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.smallrye.mutiny.Uni;

/** make_call with nothing but the stack: JSON in, one form POST to the stand-in, JSON out (bench/floor.sh). */
@Path("/v1/actions/make_call")
public class Floor {

    public record Params(String account_sid, String to, String from_, String url) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Call(String sid, String status, String direction, String from, String to) {
    }

    public record Result(boolean success, String error, String call_sid, String status, String direction, String from_,
            String to) {
    }

    @RegisterRestClient(configKey = "twilio")
    @Path("/2010-04-01/Accounts/{account}")
    public interface Twilio {
        @POST
        @Path("/Calls.json")
        @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
        Uni<Call> create(@PathParam("account") String account, @HeaderParam("Authorization") String auth,
                @FormParam("To") String to, @FormParam("From") String from, @FormParam("Url") String url);
    }

    @RestClient
    Twilio twilio;

    /** For the script's wait: answers once the app is up. */
    @GET
    public String ready() {
        return "ok";
    }

    @POST
    public Uni<Result> makeCall(Params p) {
        return twilio.create(p.account_sid(), "Basic QUMwMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZjp0", p.to(), p.from_(),
                p.url()).map(c -> new Result(true, null, c.sid(), c.status(), c.direction(), c.from(), c.to()));
    }
}
