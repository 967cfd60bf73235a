/**
 * Account endpoints: opening accounts, operator deposits and payout requests.
 */
@NullMarked
package io.archipelago.command.account;

import org.jspecify.annotations.NullMarked;
