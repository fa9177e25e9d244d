-- The entries of call SIDs, each as HGETALL answers (empty when the ledger does not hold it), in the order asked.
-- KEYS[1] any key of the ledger's hash slot (routes the script on a cluster; not read).
-- ARGV[1] the entry prefix, ARGV[2] the call-SID key prefix, ARGV[3..] the call SIDs.
local out = {}
for i = 3, #ARGV do
  local id = redis.call('GET', ARGV[2] .. ARGV[i])
  if id then
    out[#out + 1] = redis.call('HGETALL', ARGV[1] .. id)
  else
    out[#out + 1] = {}
  end
end
return out
