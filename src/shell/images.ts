/*
 * Images without a shell, from their names: an exec hook or command that runs /bin/sh (or a script file,
 * which needs its interpreter) cannot start in them. The constructs meet it through the audit of what they emit.
 */

/**
 * Why an image has no shell, from its name, or undefined when the name does not tell (most images have one):
 * - `gcr.io/distroless/*` except the `:debug` tags, which add a BusyBox shell
 *   (https://github.com/GoogleContainerTools/distroless#debug-images);
 * - Chainguard images (`cgr.dev/chainguard/*`, `chainguard/*`) except the `-dev` tags, which add a shell
 *   (https://edu.chainguard.dev/chainguard/chainguard-images/about/differences-development-production/);
 * - any image whose name or tag says `distroless` (e.g. `mcr.microsoft.com/openjdk/jdk:21-distroless`).
 * @internal
 */
export function shellLessImage(image: string): string | undefined {
  const i = image.trim().toLowerCase();
  if (i === '' || i.includes('{{') || i.includes('$')) return undefined;
  const tag = /:([^/:@]+)(@.*)?$/.exec(i)?.[1] ?? '';
  if (/(^|\/)gcr\.io\/distroless\//.test(i) || /^distroless\//.test(i)) {
    return /(^|-)debug(-|$)/.test(tag) ? undefined : 'a distroless image (gcr.io/distroless ships no shell except in its :debug tags)';
  }
  if (/(^|\/)cgr\.dev\/chainguard\//.test(i) || /^(docker\.io\/)?chainguard\//.test(i)) {
    return /(^|-)dev(-|$)/.test(tag) ? undefined : 'a Chainguard image (no shell except in its -dev tags)';
  }
  if (/distroless/.test(i)) return 'a distroless image (its name says so; distroless images ship no shell)';
  return undefined;
}
