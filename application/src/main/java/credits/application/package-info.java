/**
 * Use cases: {@code port.in} holds one interface per thing a user does, {@code service} one small
 * class implementing each. Only the domain and {@code java.*} are visible here.
 */
package credits.application;
