/**
 * The credits core: exact money, each user's credit and the port to storage. Pure Java by rule: this
 * package may use only itself and {@code java.*} (enforced by the build and by ArchUnit).
 */
package credits.domain;
