package dev.wharf.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.registry.auth.Credentials;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code GET /v2/<name>/tags/list}, following {@code Link: <…>; rel="next"} pages. */
final class TagsEndpoint {

    private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

    private final Caller caller;

    TagsEndpoint(Caller caller) {
        this.caller = caller;
    }

    List<String> list(String host, String path, List<String> scopes, Credentials creds) {
        List<String> tags = new ArrayList<>();
        String next = "/v2/" + path + "/tags/list";
        for (int page = 0; next != null && page < 1000; page++) {
            Caller.Call c = new Caller.Call("GET", host, next, Map.of(), null, true, scopes, Set.of());
            HttpResponse<InputStream> r = caller.send(c, creds);
            try (InputStream in = r.body()) {
                JsonNode j = Caller.JSON.readTree(in.readNBytes(16 << 20));
                for (JsonNode t : j.path("tags")) {
                    tags.add(t.asText());
                }
            } catch (IOException e) {
                throw caller.transport(c, caller.uri(c), e);
            }
            next = null;
            for (String link : r.headers().allValues("Link")) {
                Matcher m = NEXT.matcher(link);
                if (m.find()) {
                    next = m.group(1);
                }
            }
        }
        return tags;
    }
}
