package io.namesmanager.backend;

import java.util.List;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * One page of the list, ordered by id.
 *
 * @param names the names on this page
 * @param next  the id to pass as {@code after} for the following page, or {@code null} when no rows follow
 */
record NamesPage(List<NameRecord> names, Long next) {

    JsonObject toJson() {
        JsonArrayBuilder array = JsonBodies.JSON.createArrayBuilder();
        names.forEach(name -> array.add(name.toJson()));
        JsonObjectBuilder page = JsonBodies.JSON.createObjectBuilder().add("names", array);
        return next == null ? page.addNull("next").build() : page.add("next", next).build();
    }
}
