import GRDB

/// The ordered list of migrations. A database written by an older Loket migrates forward at
/// start-up; a migration is never edited once released, only followed by a new one.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: ledger, orders, deposits, payouts, bot state", migrate: v1)
        migrator.registerMigration("v2: Telegram message ids of sent outbox messages") { db in
            try db.execute(sql: "ALTER TABLE outbox ADD COLUMN telegram_message_id INTEGER")
            try db.execute(sql: "CREATE INDEX outbox_by_dedupe_key ON outbox(dedupe_key)")
        }
        migrator.registerMigration("v3: updates in flight and quarantined updates") { db in
            try db.execute(sql: """
                CREATE TABLE telegram_inflight (
                    update_id INTEGER PRIMARY KEY,
                    chat_id INTEGER,
                    user_id INTEGER,
                    kind TEXT NOT NULL,                 -- what it carried (`command /margin`, `text`, `button`), never its content
                    marked_at INTEGER NOT NULL,
                    alone_attempts INTEGER NOT NULL DEFAULT 0 CHECK (alone_attempts >= 0)
                );

                CREATE TABLE quarantined_updates (
                    update_id INTEGER PRIMARY KEY,
                    chat_id INTEGER,
                    user_id INTEGER,
                    kind TEXT NOT NULL,
                    reason TEXT NOT NULL CHECK (reason IN ('failed', 'crashed', 'unreadable')),
                    detail TEXT NOT NULL,
                    quarantined_at INTEGER NOT NULL
                );
                """)
        }
        migrator.registerMigration("v4: how long Flowix has not found an order or payout; deposits due for a re-check") { db in
            for table in ["orders", "payouts"] {
                try db.execute(sql: """
                    ALTER TABLE \(table) ADD COLUMN not_found_since INTEGER;
                    ALTER TABLE \(table) ADD COLUMN not_found_checks INTEGER NOT NULL DEFAULT 0 CHECK (not_found_checks >= 0);
                    """)
            }
            // The price Flowix stated for an order before settling it (a create answered `processing`).
            try db.execute(sql: "ALTER TABLE orders ADD COLUMN flowix_price INTEGER CHECK (flowix_price IS NULL OR flowix_price >= 0)")
            // A deposit that is not (yet) credited stays due for a status check until this time;
            // those closed before this version get their day from when they closed.
            try db.execute(sql: """
                ALTER TABLE deposits ADD COLUMN recheck_until INTEGER;
                UPDATE deposits SET recheck_until = updated_at + 86400 WHERE status IN ('expired', 'cancelled', 'failed');
                """)
        }
        migrator.registerMigration("v5: how many times an order or payout was sent again; orders by bill inquiry") { db in
            for table in ["orders", "payouts"] {
                try db.execute(sql: "ALTER TABLE \(table) ADD COLUMN resends INTEGER NOT NULL DEFAULT 0 CHECK (resends >= 0)")
            }
            // Not unique: files from before one order per inquiry was enforced may hold two.
            try db.execute(sql: "CREATE INDEX orders_by_inquiry ON orders(inquiry_id) WHERE inquiry_id IS NOT NULL")
        }
        migrator.registerMigration("v6: a bill's details, for its receipt") { db in
            try db.execute(sql: """
                ALTER TABLE orders ADD COLUMN bill_customer_name TEXT;
                ALTER TABLE orders ADD COLUMN bill_period TEXT;
                ALTER TABLE orders ADD COLUMN bill_amount INTEGER CHECK (bill_amount IS NULL OR bill_amount >= 0);
                ALTER TABLE orders ADD COLUMN bill_admin_fee INTEGER CHECK (bill_admin_fee IS NULL OR bill_admin_fee >= 0);
                """)
        }
        migrator.registerMigration("v7: what the owner closed") { db in
            try db.execute(sql: """
                CREATE TABLE closures (
                    scope TEXT PRIMARY KEY NOT NULL CHECK (length(scope) BETWEEN 1 AND 80),
                    reason TEXT,
                    until INTEGER,
                    closed_by INTEGER NOT NULL,
                    closed_at INTEGER NOT NULL
                )
                """)
        }
        migrator.registerMigration("v8: transaction PINs; users by username") { db in
            try db.execute(sql: """
                CREATE TABLE pins (
                    user_id INTEGER PRIMARY KEY REFERENCES users(id),
                    hash BLOB NOT NULL CHECK (length(hash) >= 16),
                    salt BLOB NOT NULL CHECK (length(salt) >= 16),
                    rounds INTEGER NOT NULL CHECK (rounds > 0),
                    failures INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
                    last_failed_update INTEGER,          -- a redelivered update counts once
                    locked_until INTEGER,
                    updated_at INTEGER NOT NULL
                );
                CREATE INDEX users_by_username ON users(username COLLATE NOCASE) WHERE username IS NOT NULL;
                """)
        }
        migrator.registerMigration("v9: the owner's dashboard: one-time login links and sessions") { db in
            // Only hashes: a copy of the file opens no dashboard.
            try db.execute(sql: """
                CREATE TABLE dashboard_links (
                    token_hash TEXT PRIMARY KEY NOT NULL,
                    admin_id INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL,
                    used_at INTEGER
                );
                CREATE INDEX webhook_events_by_reference ON webhook_events(reference);
                CREATE TABLE dashboard_sessions (
                    session_hash TEXT PRIMARY KEY NOT NULL,
                    admin_id INTEGER NOT NULL,
                    csrf TEXT NOT NULL,
                    expires_at INTEGER NOT NULL,
                    created_at INTEGER NOT NULL
                );
                """)
        }
        migrator.registerMigration("v10: what each owner did, from Telegram or the dashboard; one margin rule per name in any case") { db in
            try db.execute(sql: """
                -- One margin rule per name in any case: prices look rules up that way. Of rules written
                -- before under names differing only in case, the oldest is the one prices used; it stays.
                DELETE FROM margin_rules WHERE EXISTS (
                    SELECT 1 FROM margin_rules older WHERE older.scope = margin_rules.scope AND older.level = margin_rules.level
                        AND older.scope_value = margin_rules.scope_value COLLATE NOCASE AND older.id < margin_rules.id);
                CREATE UNIQUE INDEX margin_rules_by_name ON margin_rules(scope, scope_value COLLATE NOCASE, level);
                CREATE TABLE admin_actions (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    admin_id INTEGER NOT NULL,
                    source TEXT NOT NULL CHECK (source IN ('telegram', 'dashboard')),
                    action TEXT NOT NULL,                -- the command as the owner gave it, never a secret
                    created_at INTEGER NOT NULL
                );
                """)
        }
        return migrator
    }

    /// Every system account, created with the schema.
    static let systemAccounts = SystemAccount.allCases

    private static func v1(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE users (
                id INTEGER PRIMARY KEY,                 -- the Telegram user id
                name TEXT NOT NULL,
                username TEXT,
                level TEXT NOT NULL DEFAULT 'member' CHECK (level IN ('member', 'reseller')),
                language TEXT NOT NULL DEFAULT 'id',
                is_blocked INTEGER NOT NULL DEFAULT 0 CHECK (is_blocked IN (0, 1)),   -- by an admin
                is_reachable INTEGER NOT NULL DEFAULT 1 CHECK (is_reachable IN (0, 1)), -- 0 after Telegram 403
                created_at INTEGER NOT NULL
            );

            CREATE TABLE accounts (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                code TEXT NOT NULL UNIQUE,              -- 'wallet:<user id>' or 'system:<name>'
                kind TEXT NOT NULL CHECK (kind IN ('wallet', 'system')),
                user_id INTEGER UNIQUE REFERENCES users(id),
                balance INTEGER NOT NULL DEFAULT 0,     -- materialised sum of the account's entries
                CHECK (kind <> 'wallet' OR balance >= 0),
                CHECK ((kind = 'wallet') = (user_id IS NOT NULL))
            );

            CREATE TABLE journal_transactions (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                idempotency_key TEXT NOT NULL UNIQUE,
                kind TEXT NOT NULL,
                reference TEXT,
                user_id INTEGER REFERENCES users(id),
                actor_id INTEGER,
                note TEXT,
                wallet_balance_after INTEGER,
                created_at INTEGER NOT NULL
            );
            CREATE INDEX journal_transactions_by_reference ON journal_transactions(reference);
            CREATE INDEX journal_transactions_by_time ON journal_transactions(created_at);

            CREATE TABLE journal_entries (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                transaction_id INTEGER NOT NULL REFERENCES journal_transactions(id),
                account_id INTEGER NOT NULL REFERENCES accounts(id),
                amount INTEGER NOT NULL CHECK (amount <> 0)
            );
            CREATE INDEX journal_entries_by_account ON journal_entries(account_id, transaction_id);
            CREATE INDEX journal_entries_by_transaction ON journal_entries(transaction_id);

            CREATE TRIGGER journal_transactions_no_update BEFORE UPDATE ON journal_transactions
            BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;
            CREATE TRIGGER journal_transactions_no_delete BEFORE DELETE ON journal_transactions
            BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;
            CREATE TRIGGER journal_entries_no_update BEFORE UPDATE ON journal_entries
            BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;
            CREATE TRIGGER journal_entries_no_delete BEFORE DELETE ON journal_entries
            BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;

            CREATE TABLE holds (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                reference TEXT NOT NULL UNIQUE,         -- the order or payout ref_id
                purpose TEXT NOT NULL CHECK (purpose IN ('purchase', 'payout')),
                user_id INTEGER NOT NULL REFERENCES users(id),
                amount INTEGER NOT NULL CHECK (amount > 0),
                status TEXT NOT NULL DEFAULT 'held' CHECK (status IN ('held', 'captured', 'released')),
                hold_transaction_id INTEGER NOT NULL REFERENCES journal_transactions(id),
                settle_transaction_id INTEGER REFERENCES journal_transactions(id),
                CHECK ((status = 'held') = (settle_transaction_id IS NULL))
            );
            CREATE TRIGGER holds_settle_once BEFORE UPDATE OF status ON holds
            WHEN OLD.status <> 'held'
            BEGIN SELECT RAISE(ABORT, 'hold already settled'); END;

            CREATE TABLE orders (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                ref_id TEXT NOT NULL UNIQUE,
                user_id INTEGER NOT NULL REFERENCES users(id),
                kind TEXT NOT NULL CHECK (kind IN ('prepaid', 'bill')),
                product_code TEXT NOT NULL,
                product_name TEXT NOT NULL,
                category TEXT NOT NULL DEFAULT '',
                brand TEXT NOT NULL DEFAULT '',
                target TEXT NOT NULL,
                sell_price INTEGER NOT NULL CHECK (sell_price > 0),
                quoted_cost INTEGER NOT NULL CHECK (quoted_cost >= 0),
                final_cost INTEGER CHECK (final_cost >= 0),
                inquiry_id TEXT,
                status TEXT NOT NULL CHECK (status IN ('pending', 'processing', 'unknown', 'success', 'failed')),
                sn TEXT,
                note TEXT,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL
            );
            CREATE INDEX orders_by_user ON orders(user_id, created_at);
            CREATE INDEX orders_by_status ON orders(status, updated_at);
            CREATE TRIGGER orders_final_is_final BEFORE UPDATE OF status ON orders
            WHEN OLD.status IN ('success', 'failed') AND NEW.status <> OLD.status
            BEGIN SELECT RAISE(ABORT, 'order already final'); END;

            CREATE TABLE deposits (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                ref_id TEXT NOT NULL UNIQUE,            -- Flowix's DEP-… reference
                user_id INTEGER NOT NULL REFERENCES users(id),
                method_code TEXT NOT NULL,
                amount_requested INTEGER NOT NULL CHECK (amount_requested > 0),
                amount_to_pay INTEGER NOT NULL CHECK (amount_to_pay > 0),
                fee INTEGER NOT NULL CHECK (fee >= 0),
                amount_credited INTEGER CHECK (amount_credited > 0),
                qr_string TEXT,
                status TEXT NOT NULL CHECK (status IN ('pending', 'success', 'expired', 'cancelled', 'failed')),
                expires_at INTEGER,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                CHECK ((status = 'success') = (amount_credited IS NOT NULL))
            );
            CREATE INDEX deposits_by_user ON deposits(user_id, status);
            CREATE TRIGGER deposits_success_is_final BEFORE UPDATE OF status ON deposits
            WHEN OLD.status = 'success' AND NEW.status <> OLD.status
            BEGIN SELECT RAISE(ABORT, 'deposit already credited'); END;

            CREATE TABLE payouts (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                ref_id TEXT NOT NULL UNIQUE,
                user_id INTEGER NOT NULL REFERENCES users(id),
                bank_code TEXT NOT NULL,
                bank_name TEXT NOT NULL,
                account_number TEXT NOT NULL,
                account_name TEXT NOT NULL,
                amount INTEGER NOT NULL CHECK (amount > 0),
                fee INTEGER NOT NULL CHECK (fee >= 0),
                flowix_fee INTEGER CHECK (flowix_fee >= 0),
                status TEXT NOT NULL CHECK (status IN ('pending', 'processing', 'unknown', 'success', 'failed')),
                note TEXT,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL
            );
            CREATE INDEX payouts_by_status ON payouts(status, updated_at);
            CREATE TRIGGER payouts_final_is_final BEFORE UPDATE OF status ON payouts
            WHEN OLD.status IN ('success', 'failed') AND NEW.status <> OLD.status
            BEGIN SELECT RAISE(ABORT, 'payout already final'); END;

            CREATE TABLE margin_rules (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                scope TEXT NOT NULL CHECK (scope IN ('all', 'category', 'brand', 'product')),
                scope_value TEXT NOT NULL DEFAULT '',
                level TEXT NOT NULL CHECK (level IN ('member', 'reseller')),
                kind TEXT NOT NULL CHECK (kind IN ('rupiah', 'percent')),
                value INTEGER NOT NULL CHECK (value >= 0), -- rupiah, or hundredths of a percent
                created_by INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                UNIQUE (scope, scope_value, level)
            );

            CREATE TABLE products (
                code TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                category TEXT NOT NULL,
                brand TEXT NOT NULL,
                type TEXT NOT NULL,
                service_type TEXT NOT NULL CHECK (service_type IN ('prabayar', 'pascabayar')),
                price INTEGER CHECK (price >= 0),
                is_available INTEGER NOT NULL CHECK (is_available IN (0, 1)),
                synced_at INTEGER NOT NULL
            );

            CREATE TABLE webhook_events (
                event_id TEXT PRIMARY KEY,
                event_type TEXT NOT NULL,
                reference TEXT,
                received_at INTEGER NOT NULL
            );

            CREATE TABLE outbox (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                chat_id INTEGER NOT NULL,
                priority TEXT NOT NULL CHECK (priority IN ('reply', 'bulk')),
                payload TEXT NOT NULL,                  -- the message as JSON
                dedupe_key TEXT UNIQUE,
                status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dropped')),
                attempts INTEGER NOT NULL DEFAULT 0,
                not_before INTEGER NOT NULL DEFAULT 0,
                created_at INTEGER NOT NULL,
                sent_at INTEGER
            );
            CREATE INDEX outbox_pending ON outbox(status, chat_id, id);

            CREATE TABLE sessions (
                chat_id INTEGER PRIMARY KEY,
                state TEXT NOT NULL,                    -- the conversation state as JSON
                updated_at INTEGER NOT NULL
            );

            CREATE TABLE telegram_updates (
                update_id INTEGER PRIMARY KEY,
                handled_at INTEGER NOT NULL
            );

            CREATE TABLE settings (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL
            );
            """)
        for account in systemAccounts {
            try db.execute(sql: "INSERT INTO accounts (code, kind) VALUES (?, 'system')", arguments: [account.code])
        }
    }
}
