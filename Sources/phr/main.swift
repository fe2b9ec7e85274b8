import PHRCommands

PHR.runMain()
