#!/bin/sh
# A payment provider for the end-to-end tests (PAYMENT_COMMAND): every order is collected.
# Arguments: the payment's id, the amount in fen, DF or TF.
echo "paid E2E-$1-$2"
