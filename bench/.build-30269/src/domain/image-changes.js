/**
 * Splits "registry:port/name:tag", "name@sha256:..." or "name:tag@sha256:..." into the image name and
 * its version (tag, digest, or both), so two versions of one image pair up by name.
 */
export function splitImage(image) {
    const at = image.indexOf('@');
    const digest = at > 0 ? image.slice(at + 1) : undefined;
    const reference = at > 0 ? image.slice(0, at) : image;
    const colon = reference.lastIndexOf(':');
    const slash = reference.lastIndexOf('/');
    const tag = colon > slash ? reference.slice(colon + 1) : undefined;
    const name = colon > slash ? reference.slice(0, colon) : reference;
    const version = tag && digest ? `${tag}@${digest}` : (digest ?? tag ?? 'latest');
    return { name, version };
}
/** Pairs live and target images by name: what this deploy changes. Unchanged images are left out. */
export function diffImages(live, target) {
    const from = new Map(live.map((i) => [splitImage(i).name, splitImage(i).version]));
    const to = new Map(target.map((i) => [splitImage(i).name, splitImage(i).version]));
    const names = [...new Set([...from.keys(), ...to.keys()])].sort();
    return names
        .filter((name) => from.get(name) !== to.get(name))
        .map((name) => ({ name, from: from.get(name), to: to.get(name) }));
}
/** Collects container images from a Kubernetes object (Deployment, StatefulSet, Pod, CronJob...). */
export function imagesInManifest(manifest) {
    const images = [];
    const visit = (node, depth) => {
        if (depth > 12 || !node || typeof node !== 'object')
            return;
        if (Array.isArray(node)) {
            for (const item of node)
                visit(item, depth + 1);
            return;
        }
        for (const [key, value] of Object.entries(node)) {
            if ((key === 'containers' || key === 'initContainers') && Array.isArray(value)) {
                for (const c of value)
                    if (c && typeof c.image === 'string')
                        images.push(c.image);
            }
            else
                visit(value, depth + 1);
        }
    };
    visit(manifest, 0);
    return images;
}
