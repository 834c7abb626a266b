import { describe, expect, it } from 'vitest';
import { diffImages, imagesInManifest, splitImage } from '../../../src/domain/image-changes.js';

describe('splitImage', () => {
  it.each([
    ['ghcr.io/acme/payments-api:1.42.0', 'ghcr.io/acme/payments-api', '1.42.0'],
    ['redis', 'redis', 'latest'],
    ['localhost:5000/team/app', 'localhost:5000/team/app', 'latest'],
    ['localhost:5000/team/app:2.1', 'localhost:5000/team/app', '2.1'],
    ['quay.io/strimzi/kafka:0.45.0-kafka-3.9.0', 'quay.io/strimzi/kafka', '0.45.0-kafka-3.9.0'],
    ['ghcr.io/acme/api@sha256:abc123', 'ghcr.io/acme/api', 'sha256:abc123'],
    ['ghcr.io/acme/api:1.2@sha256:abc123', 'ghcr.io/acme/api', '1.2@sha256:abc123'],
  ])('%s → %s + %s', (image, name, version) => {
    expect(splitImage(image)).toEqual({ name, version });
  });
});

describe('diffImages', () => {
  it('pairs versions of one image by name and leaves unchanged images out', () => {
    const live = ['ghcr.io/acme/payments-api:1.41.2', 'docker.io/library/redis:7.2.5'];
    const target = ['ghcr.io/acme/payments-api:1.42.0', 'docker.io/library/redis:7.2.5'];
    expect(diffImages(live, target)).toEqual([
      { name: 'ghcr.io/acme/payments-api', from: '1.41.2', to: '1.42.0' },
    ]);
  });

  it('reports new and removed images, sorted by name', () => {
    expect(diffImages(['b/old:1', 'a/kept:1'], ['a/kept:1', 'c/new:2'])).toEqual([
      { name: 'b/old', from: '1', to: undefined },
      { name: 'c/new', from: undefined, to: '2' },
    ]);
  });

  it('sees a digest change under the same tag as a change of one image', () => {
    expect(diffImages(['r/app:1.0@sha256:aaa'], ['r/app:1.0@sha256:bbb'])).toEqual([
      { name: 'r/app', from: '1.0@sha256:aaa', to: '1.0@sha256:bbb' },
    ]);
  });

  it('is empty when nothing changes or nothing is known', () => {
    expect(diffImages(['r/app:1'], ['r/app:1'])).toEqual([]);
    expect(diffImages([], [])).toEqual([]);
  });
});

describe('imagesInManifest', () => {
  it('collects containers and init containers of Deployments, CronJobs and Pods', () => {
    const deployment = {
      kind: 'Deployment',
      spec: {
        template: {
          spec: {
            initContainers: [{ name: 'migrate', image: 'r/migrate:3' }],
            containers: [
              { name: 'api', image: 'r/api:1' },
              { name: 'sidecar', image: 'r/proxy:2' },
            ],
          },
        },
      },
    };
    const cronJob = {
      kind: 'CronJob',
      spec: { jobTemplate: { spec: { template: { spec: { containers: [{ image: 'r/job:9' }] } } } } },
    };
    const pod = { kind: 'Pod', spec: { containers: [{ image: 'r/pod:1' }] } };
    expect(imagesInManifest(deployment)).toEqual(['r/migrate:3', 'r/api:1', 'r/proxy:2']);
    expect(imagesInManifest(cronJob)).toEqual(['r/job:9']);
    expect(imagesInManifest(pod)).toEqual(['r/pod:1']);
  });

  it('ignores what is not a manifest or has no images', () => {
    expect(imagesInManifest(undefined)).toEqual([]);
    expect(imagesInManifest('null')).toEqual([]);
    expect(imagesInManifest({ kind: 'ConfigMap', data: { image: 'not/a:container' } })).toEqual([]);
    expect(imagesInManifest({ spec: { containers: [{ name: 'no-image' }, { image: 42 }] } })).toEqual([]);
  });

  it('stops at absurd nesting instead of recursing forever', () => {
    let deep: Record<string, unknown> = { containers: [{ image: 'r/too-deep:1' }] };
    for (let i = 0; i < 30; i++) deep = { nested: deep };
    expect(imagesInManifest(deep)).toEqual([]);
  });
});
