package org.cagate.server.account;

public enum AccountStatus {
    ACTIVE,
    DISABLED
}
