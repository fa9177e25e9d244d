package dev.voicegate.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestCookie;
import org.jboss.resteasy.reactive.RestQuery;

import dev.voicegate.ledger.Ledger;
import dev.voicegate.observability.AuditTrail;
import dev.voicegate.observability.RecentAudit;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;

/**
 * The audit page: the operators' controls from the ledger's control log (shared by every replica, cursor-paged) and,
 * on the first page, this replica's latest decisions ({@link RecentAudit}: allowed and refused actions, each refusal
 * with its rule; the service stores no other audit log than its log lines). Filters by key and rule apply to the page
 * shown.
 */
@Path("/console/audit")
@Produces(MediaType.TEXT_HTML)
public class AuditResource {

    private static final int PAGE = 100;
    /** A filter is a key's name or a rule: short, plain; anything else is refused rather than echoed. */
    private static final Pattern FILTER = Pattern.compile("^[A-Za-z0-9_.:-]{1,64}$");

    @Location("console/audit.html")
    Template page;

    private final ConsoleAccess console;
    private final Ledger ledger;
    private final RecentAudit recent;
    private final AuditTrail audit;

    AuditResource(ConsoleAccess console, Ledger ledger, RecentAudit recent, AuditTrail audit) {
        this.console = console;
        this.ledger = ledger;
        this.recent = recent;
        this.audit = audit;
    }

    @GET
    public Uni<TemplateInstance> list(@RestCookie(Sessions.COOKIE) String session, @RestQuery String key,
            @RestQuery String rule, @RestQuery String cursor) {
        Operator operator = console.operator(session);
        String byKey = filter(key);
        String byRule = filter(rule);
        audit.read(operator.name(), "console_audit", null);
        return ledger.controls(blank(cursor) ? null : cursor, PAGE)
                .onFailure(IllegalArgumentException.class).transform(e -> new ConsoleRefusal(Response.Status.BAD_REQUEST,
                        "That page token is not one this console made; start from the first page."))
                .map(controls -> {
                    List<AuditRow> rows = new ArrayList<>();
                    controls.events().forEach(event -> rows.add(AuditRow.of(event)));
                    if (blank(cursor)) {
                        recent.newestFirst().forEach(line -> rows.add(AuditRow.of(line)));
                    }
                    List<AuditRow> shown = rows.stream().filter(row -> row.matches(byKey, byRule))
                            .sorted(Comparator.comparing(AuditRow::at).reversed()).toList();
                    return page.data("operator", operator).data("section", "audit").data("rows", shown)
                            .data("key", byKey).data("rule", byRule).data("older", older(controls.next(), byKey, byRule));
                });
    }

    /** The next page's address, with the same filters; null on the last page. */
    private static String older(String next, String key, String rule) {
        if (next == null) {
            return null;
        }
        return Sessions.PATH + "/audit?cursor=" + URLEncoder.encode(next, StandardCharsets.UTF_8)
                + (key == null ? "" : "&key=" + key) + (rule == null ? "" : "&rule=" + rule);
    }

    private static String filter(String value) {
        if (blank(value)) {
            return null;
        }
        if (!FILTER.matcher(value.strip()).matches()) {
            throw new ConsoleRefusal(Response.Status.BAD_REQUEST, "A filter is a key's name or a rule: letters, "
                    + "digits, '.', '_', ':' or '-', at most 64.");
        }
        return value.strip();
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
