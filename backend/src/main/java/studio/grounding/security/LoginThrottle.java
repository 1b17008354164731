package studio.grounding.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Slows password guessing at the login: per account (user name, known or not) and per client address, after
 * {@code studio.login.max-failures} (default 5) failed logins of an account, or {@code
 * studio.login.max-failures-per-address} (default 50) from one address, logins of that account / from that address
 * are refused for {@code studio.login.lockout} (default 30 s), doubling with every further failure up to {@code
 * studio.login.max-lockout} (default 15 min). Attempts while locked are refused without checking the password and
 * do not extend the lockout. A successful login resets the account's count (not the address's: a guesser must not
 * clear it by signing into an own account); counts are forgotten after a quiet {@code max-lockout}. The state is
 * in memory, per server process: a restart forgets it (ADR 0014). The caller shows a locked login exactly like a
 * wrong password, so nobody learns whether an account exists or is locked.
 */
@Service
public class LoginThrottle {

    private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);
    /** Tracked accounts and addresses at most; beyond, quiet entries and then unlocked ones are dropped first. */
    static final int MAX_ENTRIES = 100_000;

    private final int maxAccountFailures;
    private final int maxAddressFailures;
    private final Duration lockout;
    private final Duration maxLockout;
    private final Clock clock;
    private final Map<String, Failures> entries = new ConcurrentHashMap<>();

    @Autowired
    LoginThrottle(@Value("${studio.login.max-failures:5}") int maxAccountFailures,
                  @Value("${studio.login.max-failures-per-address:50}") int maxAddressFailures,
                  @Value("${studio.login.lockout:30s}") Duration lockout,
                  @Value("${studio.login.max-lockout:15m}") Duration maxLockout) {
        this(maxAccountFailures, maxAddressFailures, lockout, maxLockout, Clock.systemUTC());
    }

    LoginThrottle(int maxAccountFailures, int maxAddressFailures, Duration lockout, Duration maxLockout, Clock clock) {
        if (maxAccountFailures < 1 || maxAddressFailures < 1 || lockout.isNegative() || lockout.isZero()
                || maxLockout.compareTo(lockout) < 0) {
            throw new IllegalArgumentException("studio.login.max-failures and max-failures-per-address must be at "
                    + "least 1, studio.login.lockout positive and max-lockout at least lockout");
        }
        this.maxAccountFailures = maxAccountFailures;
        this.maxAddressFailures = maxAddressFailures;
        this.lockout = lockout;
        this.maxLockout = maxLockout;
        this.clock = clock;
    }

    /** Whether a login of {@code username} from {@code address} (either may be null) is refused now. */
    public boolean locked(String username, String address) {
        Instant now = clock.instant();
        return lockedNow(accountKey(username), now) || lockedNow(addressKey(address), now);
    }

    /** Counts a failed login (a wrong password or an unknown user) of the account and from the address. */
    public void failed(String username, String address) {
        Instant now = clock.instant();
        if (entries.size() >= MAX_ENTRIES) {
            prune(now);
        }
        count(accountKey(username), maxAccountFailures, now);
        count(addressKey(address), maxAddressFailures, now);
    }

    /** A successful login: the account's count starts again (the address's stays). */
    public void succeeded(String username, String address) {
        String key = accountKey(username);
        if (key != null) {
            entries.remove(key);
        }
    }

    private boolean lockedNow(String key, Instant now) {
        Failures f = key == null ? null : entries.get(key);
        return f != null && f.lockedUntil != null && now.isBefore(f.lockedUntil);
    }

    private void count(String key, int threshold, Instant now) {
        if (key == null) {
            return;
        }
        entries.compute(key, (k, f) -> {
            Failures next = f == null || now.isAfter(f.last.plus(maxLockout)) ? new Failures(0, now, null) : f;
            int failures = next.failures + 1;
            Instant until = next.lockedUntil;
            if (failures >= threshold) {
                long doublings = Math.min(failures - threshold, 30);
                Duration d = lockout.multipliedBy(1L << doublings);
                until = now.plus(d.compareTo(maxLockout) > 0 ? maxLockout : d);
                log.warn("Login of {} locked until {} after {} failed attempts", k.startsWith("account:")
                        ? "account " + k.substring(8) : "address " + k.substring(8), until, failures);
            }
            return new Failures(failures, now, until);
        });
    }

    private void prune(Instant now) {
        entries.entrySet().removeIf(e -> now.isAfter(e.getValue().last.plus(maxLockout)));
        if (entries.size() >= MAX_ENTRIES) {
            entries.entrySet().removeIf(e -> e.getValue().lockedUntil == null || !now.isBefore(e.getValue().lockedUntil));
        }
    }

    private static String accountKey(String username) {
        return username == null || username.isBlank() ? null : "account:" + username.strip().toLowerCase(Locale.ROOT);
    }

    private static String addressKey(String address) {
        return address == null || address.isBlank() ? null : "address:" + address.strip();
    }

    private record Failures(int failures, Instant last, Instant lockedUntil) {
    }
}
