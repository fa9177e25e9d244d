-- Entries, each as HGETALL answers (empty when the ledger does not hold it), in the order asked.
-- ARGV[1] the entry prefix, ARGV[2] the call-SID key prefix when ARGV[3..] are call SIDs, '' when they are entry ids.
local out = {}
for i = 3, #ARGV do
  local id = ARGV[i]
  if ARGV[2] ~= '' then
    id = redis.call('GET', ARGV[2] .. ARGV[i])
  end
  if id then
    out[#out + 1] = redis.call('HGETALL', ARGV[1] .. id)
  else
    out[#out + 1] = {}
  end
end
return out
