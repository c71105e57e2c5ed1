"""mixlevel demo (run by `make demo`)."""

import mixlevel
from mixlevel._kernels import _build_info


def yes_no(flag):
    return "yes" if flag else "no"


def main():
    print(f"mixlevel {mixlevel.__version__}")
    print(
        f"compiled kernels: {yes_no(_build_info.is_compiled())}, "
        f"OpenMP: {yes_no(_build_info.openmp_enabled())}"
        + (f" ({_build_info.n_threads()} threads)" if _build_info.openmp_enabled() else "")
    )


if __name__ == "__main__":
    main()
