# sshd.sh: a real OpenSSH server for the SFTP tests, sourced after e2e.sh. sshd_start makes a
# host key, a user key and a wrong key in $E2E_WORK/ssh, starts sshd on a free loopback port
# (its own config: key authentication only, StrictModes off, authorized keys in the temp dir,
# internal-sftp), writes a known_hosts for it, and sets SSHD_PORT, SSHD_USER, SSH_KEY,
# SSH_WRONG_KEY, KNOWN_HOSTS. The server is stopped when the test exits.

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

sshd_start() {
    local dir=$E2E_WORK/ssh sshd tries=0
    sshd=$(command -v sshd || echo /usr/sbin/sshd)
    [ -x "$sshd" ] || { fail "sshd is needed (openssh-server)"; return 1; }
    mkdir -p "$dir" /run/sshd 2>/dev/null
    ssh-keygen -q -t ed25519 -N '' -f "$dir/host_key" &&
        ssh-keygen -q -t ed25519 -N '' -C shipload-test -f "$dir/user_key" &&
        ssh-keygen -q -t ed25519 -N '' -C wrong -f "$dir/wrong_key" ||
        { fail "ssh-keygen failed"; return 1; }
    cp "$dir/user_key.pub" "$dir/authorized_keys"
    SSHD_PORT=$(free_port)
    SSHD_USER=$(id -un)
    cat >"$dir/sshd_config" <<CONFIG
Port $SSHD_PORT
ListenAddress 127.0.0.1
HostKey $dir/host_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
StrictModes no
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
UsePAM no
Subsystem sftp internal-sftp
LogLevel ERROR
CONFIG
    "$sshd" -D -e -f "$dir/sshd_config" >"$dir/sshd.log" 2>&1 &
    SSHD_PID=$!
    E2E_PIDS="$E2E_PIDS $SSHD_PID"
    until (exec 3<>"/dev/tcp/127.0.0.1/$SSHD_PORT") 2>/dev/null; do
        kill -0 "$SSHD_PID" 2>/dev/null || { fail "sshd exited: $(head -c 1000 "$dir/sshd.log")"; return 1; }
        tries=$((tries + 1))
        [ $tries -ge 300 ] && { fail "sshd did not listen within 30 s"; return 1; }
        sleep 0.1
    done
    KNOWN_HOSTS=$dir/known_hosts
    echo "[127.0.0.1]:$SSHD_PORT $(cut -d' ' -f1,2 "$dir/host_key.pub")" >"$KNOWN_HOSTS"
    SSH_KEY=$dir/user_key
    SSH_WRONG_KEY=$dir/wrong_key
}
