"""Sandbox policy shared by both backends: the seccomp filter, control groups, mounts."""
