package dev.voicegate.testing;

import java.util.Map;

import dev.voicegate.config.VoicegateConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/** A real {@link VoicegateConfig} from a few properties, for plain unit tests of beans that read it. */
public final class TestConfig {

    private TestConfig() {
    }

    public static VoicegateConfig of(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withMapping(VoicegateConfig.class)
                // Plain SmallRye has no Quarkus "5s" duration converter.
                .withDefaultValue("voicegate.twilio.max-retry-after", "PT5S")
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                .build()
                .getConfigMapping(VoicegateConfig.class);
    }
}
