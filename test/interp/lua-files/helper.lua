return { greet = function(s) return "hello from " .. s end }
