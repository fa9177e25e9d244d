-- An attempt: its hash, expiring with the retention after the attempt (at once when already older), and its members
-- in the indexes, whose members older than the retention are dropped and which live as long as the retention.
-- KEYS[1] the entry; KEYS[2..] the indexes (all, the account's, the key's, the idempotency key's).
-- ARGV[1] the entry id, ARGV[2] the attempt (JSON), ARGV[3] attempted at (ms), ARGV[4] the entry's expiry (unix ms),
-- ARGV[5] index members scored below this are dropped (ms), ARGV[6] the retention (ms).
redis.call('HSET', KEYS[1], 'attempt', ARGV[2])
redis.call('HSETNX', KEYS[1], 'outcome', 'pending')
redis.call('PEXPIREAT', KEYS[1], ARGV[4])
for i = 2, #KEYS do
  redis.call('ZADD', KEYS[i], ARGV[3], ARGV[1])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', '(' .. ARGV[5])
  redis.call('PEXPIRE', KEYS[i], ARGV[6])
end
return 1
