package dev.voicegate.voice;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.voicegate.access.Caller;
import dev.voicegate.access.Guard;
import dev.voicegate.failure.ActionException;
import dev.voicegate.ledger.Ledger;
import dev.voicegate.ledger.LedgerEntry;
import dev.voicegate.ledger.LedgerQuery;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Ends the calls the ledger shows as live (a call SID, no final status) for a key or an account, one after the other,
 * for an operator: each as end_call would. A call on an account the operator may not use, or has no credentials
 * for, is listed with {@code forbidden} and left alone.
 */
@ApplicationScoped
public class LiveCalls {

    /** One call a control tried to end, with its account. */
    public record Ended(String accountSid, OperatorEnding.Outcome outcome) {
    }

    private static final int PAGE = 200;

    private final Ledger ledger;
    private final Guard guard;
    private final OperatorEnding ending;

    LiveCalls(Ledger ledger, Guard guard, OperatorEnding ending) {
        this.ledger = ledger;
        this.guard = guard;
        this.ending = ending;
    }

    /** Ends the live calls that {@code key} placed (null: any key) on {@code accountSid} (null: any account). */
    public Uni<List<Ended>> end(Caller operator, String key, String accountSid) {
        return live(new LedgerQuery(accountSid, key, null, null, null, null, PAGE, null), new ArrayList<>())
                .onItem().transformToMulti(entries -> Multi.createFrom().iterable(entries))
                .onItem().transformToUniAndConcatenate(entry -> endOne(operator, entry))
                .collect().asList();
    }

    private Uni<Ended> endOne(Caller operator, LedgerEntry entry) {
        String account = entry.attempt().accountSid();
        try {
            guard.checkAccount(operator, account);
            return ending.end(operator.name(), operator.credentialsFor(account), entry.callSid())
                    .map(outcome -> new Ended(account, outcome));
        } catch (ActionException refused) {
            return Uni.createFrom().item(new Ended(account, new OperatorEnding.Outcome(entry.callSid(),
                    refused.failure().category().wire(), null, null, refused.failure().error())));
        }
    }

    /** Every page of the query; the entries with a call SID and no final status. */
    private Uni<List<LedgerEntry>> live(LedgerQuery query, List<LedgerEntry> found) {
        return ledger.list(query).flatMap(page -> {
            page.entries().stream().filter(e -> e.callSid() != null && !e.isFinal()).forEach(found::add);
            if (page.next() == null || page.entries().isEmpty()) {
                return Uni.createFrom().item(found);
            }
            return live(new LedgerQuery(query.accountSid(), query.key(), null, null, null, null, PAGE, page.next()), found);
        });
    }
}
