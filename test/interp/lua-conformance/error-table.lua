-- an error object that is a table at top level: "(error object is a table value)", exit code 1
print("before")
error({code = 1})
