package dev.wharf.engine.container;

import dev.wharf.base.id.Digest;
import dev.wharf.engine.image.ImageService;
import dev.wharf.store.layer.LayerStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What containers need of images: the image a reference names, its tags, the images built on it
 * (the {@code ancestor} filter), and its layers' directories for the root file system.
 */
interface ContainerImages {

    /** The image {@code nameOrId} names; 404 when there is none. */
    ImageService.Resolved resolve(String nameOrId);

    List<String> tagsOf(String imageId);

    /** The image and every image built on it, by ID. */
    Set<String> withChildren(String nameOrId);

    /** The directories of these layers (bottom first) in the order overlay's lowerdir takes them. */
    List<Path> lowerDirs(List<String> chainIds);

    static ContainerImages of(ImageService images, LayerStore layers) {
        return new ContainerImages() {
            @Override
            public ImageService.Resolved resolve(String nameOrId) {
                return images.resolve(nameOrId);
            }

            @Override
            public List<String> tagsOf(String imageId) {
                return images.tagsOf(Digest.parse(imageId));
            }

            @Override
            public Set<String> withChildren(String nameOrId) {
                return images.withChildren(nameOrId).stream().map(Digest::toString).collect(Collectors.toSet());
            }

            @Override
            public List<Path> lowerDirs(List<String> chainIds) {
                return layers.lowerDirs(chainIds);
            }
        };
    }
}
