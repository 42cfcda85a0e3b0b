-- an error object with __tostring at top level: its string
error(setmetatable({}, {__tostring = function() return "custom error object" end}))
