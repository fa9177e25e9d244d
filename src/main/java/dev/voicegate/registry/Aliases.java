package dev.voicegate.registry;

import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.voicegate.failure.ActionException;

/**
 * The other names an input type accepts for a parameter ({@code @JsonAlias}, e.g. {@code from} for {@code from_}).
 * Jackson alone would keep whichever of the two came last; here giving both is an error, and an alias is renamed
 * first, so every later error names the parameter as the contract does.
 */
final class Aliases {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Alias to name, per input type. */
    private static final ClassValue<Map<String, String>> BY_TYPE = new ClassValue<>() {
        @Override
        protected Map<String, String> computeValue(Class<?> type) {
            Map<String, String> aliases = new HashMap<>();
            BeanDescription bean = MAPPER.getDeserializationConfig().introspect(MAPPER.constructType(type));
            for (BeanPropertyDefinition property : bean.findProperties()) {
                property.findAliases().forEach(alias -> aliases.put(alias.getSimpleName(), property.getName()));
            }
            return Map.copyOf(aliases);
        }
    };

    private Aliases() {
    }

    /** A copy of the parameters (a JSON object) with each alias renamed to its parameter's name. */
    static ObjectNode rename(JsonNode given, Class<?> type) {
        ObjectNode params = given.deepCopy();
        BY_TYPE.get(type).forEach((alias, name) -> {
            if (params.has(alias)) {
                if (params.has(name)) {
                    throw ActionException.invalid("give '" + name + "' or its alias '" + alias + "', not both");
                }
                params.set(name, params.remove(alias));
            }
        });
        return params;
    }
}
