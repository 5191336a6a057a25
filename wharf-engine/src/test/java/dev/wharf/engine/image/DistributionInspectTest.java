package dev.wharf.engine.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.model.Json;
import dev.wharf.oci.image.Descriptor;
import dev.wharf.oci.image.Manifest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DistributionInspectTest {

    private static Manifest manifest(String json) throws Exception {
        return Json.mapper().readValue(json.replace('\'', '"'), Manifest.class);
    }

    @Test
    void anIndex_listsItsEntriesPlatforms_andReadsNoConfig() throws Exception {
        Manifest index = manifest("""
                {'schemaVersion':2,'mediaType':'application/vnd.oci.image.index.v1+json','manifests':[
                 {'mediaType':'application/vnd.oci.image.manifest.v1+json','digest':'sha256:aa','size':1,
                  'platform':{'architecture':'amd64','os':'linux'}},
                 {'mediaType':'application/vnd.oci.image.manifest.v1+json','digest':'sha256:bb','size':1,
                  'platform':{'architecture':'arm64','os':'linux','variant':'v8'}},
                 {'mediaType':'application/vnd.oci.image.manifest.v1+json','digest':'sha256:cc','size':1}]}
                """);
        List<Descriptor.Platform> p = DistributionInspect.platforms(index, d -> {
            throw new AssertionError("an index's platforms are in the index");
        });
        assertThat(p).containsExactly(new Descriptor.Platform("amd64", "linux", null, null),
                new Descriptor.Platform("arm64", "linux", null, "v8"));
    }

    @Test
    void anImageManifest_hasThePlatformItsConfigNames() throws Exception {
        Manifest image = manifest("""
                {'schemaVersion':2,'mediaType':'application/vnd.docker.distribution.manifest.v2+json',
                 'config':{'mediaType':'application/vnd.docker.container.image.v1+json','digest':'sha256:cf','size':9},
                 'layers':[]}
                """);
        byte[] config = "{\"architecture\":\"arm\",\"os\":\"linux\",\"variant\":\"v7\",\"rootfs\":{}}"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(DistributionInspect.platforms(image, d -> {
            assertThat(d.digest()).isEqualTo("sha256:cf");
            return config;
        })).containsExactly(new Descriptor.Platform("arm", "linux", null, "v7"));
        assertThat(Json.mapper().writeValueAsString(DistributionInspect.platforms(image, d -> config)))
                .isEqualTo("[{\"architecture\":\"arm\",\"os\":\"linux\",\"variant\":\"v7\"}]");
    }
}
