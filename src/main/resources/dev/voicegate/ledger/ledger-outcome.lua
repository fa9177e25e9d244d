-- An attempt's outcome, and its call SID when Twilio answered.
-- KEYS[1] the entry, KEYS[2] the call SID's key (unused without a SID).
-- ARGV[1] the outcome, ARGV[2] the entry id, ARGV[3] the call SID or ''.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
redis.call('HSET', KEYS[1], 'outcome', ARGV[1])
if ARGV[3] ~= '' then
  redis.call('HSET', KEYS[1], 'sid', ARGV[3])
  link(KEYS[2], ARGV[2], KEYS[1])
end
return 1
