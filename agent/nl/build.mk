# leo_nl: client library of the leo generic netlink family, linked into
# every agent program (leoctl, leod).
LIB_SRCS += nl/leo_nl.c nl/leo_nl_addr.c nl/leo_nl_peer.c \
	nl/leo_nl_subnet.c nl/leo_nl_config.c nl/leo_nl_event.c \
	nl/leo_nl_device.c
