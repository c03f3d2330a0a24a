# Shared helpers of the agent (none yet).
